use super::*;

const NONE: KeyModifiers = KeyModifiers::NONE;

fn key(code: KeyCode) -> Input {
    Input::Key(KeyEvent::new(code, NONE))
}

fn chars(text: &str) -> Vec<Input> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// Feeds each chunk as one read, `gap` apart, then lets any escape delay expire.
fn decode(chunks: &[&[u8]], gap: Duration) -> Vec<Input> {
    let start = Instant::now();
    let mut decoder = Decoder::new(DEFAULT_ESCAPE_DELAY, start);
    let mut at = start;
    let mut out = Vec::new();
    for chunk in chunks {
        out.extend(decoder.feed(chunk, at));
        at += gap;
    }
    if let Some(deadline) = decoder.deadline() {
        out.extend(decoder.expire(deadline));
    }
    assert_eq!(decoder.deadline(), None, "nothing left pending");
    out
}

fn one_read(bytes: &[u8]) -> Vec<Input> {
    decode(&[bytes], Duration::ZERO)
}

#[test]
fn esc_then_digits_in_one_read_is_esc_then_the_digits() {
    let mut expected = vec![Input::EscThen(KeyEvent::new(KeyCode::Char('5'), NONE))];
    expected.extend(chars("24"));
    assert_eq!(one_read(b"\x1b524"), expected);
}

#[test]
fn esc_before_a_sequence_is_esc_then_that_key() {
    assert_eq!(one_read(b"\x1b\x1bOP"), [Input::EscThen(KeyEvent::new(KeyCode::F(1), NONE))]);
    assert_eq!(one_read(b"\x1b\x1b[11~"), [Input::EscThen(KeyEvent::new(KeyCode::F(1), NONE))]);
    assert_eq!(one_read(b"\x1b\x1b[A"), [Input::EscThen(KeyEvent::new(KeyCode::Up, NONE))]);
    assert_eq!(one_read(b"\x1b\x1b"), [key(KeyCode::Esc), key(KeyCode::Esc)]);
}

#[test]
fn a_lone_esc_waits_for_the_escape_delay_only() {
    let start = Instant::now();
    let mut decoder = Decoder::new(DEFAULT_ESCAPE_DELAY, start);
    assert_eq!(decoder.feed(b"\x1b", start), []);
    assert_eq!(decoder.deadline(), Some(start + DEFAULT_ESCAPE_DELAY));
    assert_eq!(decoder.expire(start + DEFAULT_ESCAPE_DELAY / 2), [], "too early");
    assert_eq!(decoder.expire(start + DEFAULT_ESCAPE_DELAY), [key(KeyCode::Esc)]);
}

#[test]
fn escdelay_sets_the_wait_in_milliseconds_within_reason() {
    assert_eq!(escape_delay(Some("25")), Duration::from_millis(25));
    assert_eq!(escape_delay(Some(" 0 ")), Duration::ZERO);
    assert_eq!(escape_delay(Some("999999")), Duration::from_secs(5));
    assert_eq!(escape_delay(Some("fast")), DEFAULT_ESCAPE_DELAY);
    assert_eq!(escape_delay(None), DEFAULT_ESCAPE_DELAY);
}

#[test]
fn a_sequence_split_across_reads_within_the_delay_is_one_key() {
    let split: &[&[u8]] = &[b"\x1b", b"[1;", b"3D"];
    assert_eq!(decode(split, Duration::from_millis(5)), [Input::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::ALT))]);
}

#[test]
fn esc_bracket_with_nothing_after_it_is_esc_then_a_bracket() {
    assert_eq!(one_read(b"\x1b["), [Input::EscThen(KeyEvent::new(KeyCode::Char('['), NONE))]);
}

#[test]
fn enter_and_tab_typed_in_a_burst_stay_keys() {
    let mut expected = chars("cloudflare");
    expected.extend([key(KeyCode::Enter), key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert_eq!(one_read(b"cloudflare\r\t\r"), expected);
}

#[test]
fn a_long_read_is_a_paste_and_its_line_breaks_are_text() {
    let line = "upstream timed out (110: Connection timed out)\twhile reading\r";
    assert_eq!(one_read(line.as_bytes()), [Input::Paste(line.replace('\r', "\n"))]);
    // Ctrl-C inside a paste still acts.
    let with_ctrl_c = format!("{line}\x03");
    let inputs = one_read(with_ctrl_c.as_bytes());
    assert_eq!(inputs.last(), Some(&Input::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))));
}

#[test]
fn reads_right_behind_a_paste_are_part_of_it_and_later_ones_are_typed() {
    let long = "x".repeat(PASTE_MIN_CHARS);
    let chunks: &[&[u8]] = &[long.as_bytes(), b"\r5"];
    assert_eq!(decode(chunks, PASTE_GAP / 2), [Input::Paste(long.clone()), Input::Paste("\n5".into())]);
    let typed_later = decode(chunks, PASTE_GAP * 2);
    assert_eq!(typed_later[1..], [key(KeyCode::Enter), key(KeyCode::Char('5'))]);
}

#[test]
fn bracketed_paste_across_reads_and_without_its_end_marker() {
    let chunks: &[&[u8]] = &[b"\x1b[200~a\rb\x1b[2", b"01~\r"];
    assert_eq!(decode(chunks, Duration::ZERO), [Input::Paste("a\rb".into()), key(KeyCode::Enter)]);
    let start = Instant::now();
    let mut decoder = Decoder::new(DEFAULT_ESCAPE_DELAY, start);
    assert_eq!(decoder.feed(b"\x1b[200~abc", start), []);
    assert_eq!(decoder.expire(start + DEFAULT_ESCAPE_DELAY), [], "a paste is not cut at the escape delay");
    assert_eq!(decoder.expire(start + PASTE_IDLE), [Input::Paste("abc".into())]);
    assert_eq!(
        decoder.feed(b"\x03", start + PASTE_IDLE),
        [Input::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))]
    );
}

#[test]
fn a_ctrl_c_after_a_paste_without_its_end_marker_ends_the_paste_and_acts() {
    let ctrl_c = Input::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let start = Instant::now();
    let mut decoder = Decoder::new(DEFAULT_ESCAPE_DELAY, start);
    assert_eq!(decoder.feed(b"\x1b[200~abc", start), []);
    assert_eq!(decoder.feed(b"\x03", start + Duration::from_millis(300)), [Input::Paste("abc".into()), ctrl_c.clone()]);
    assert_eq!(decoder.deadline(), None, "the paste is over");
    // Between two markers that came together, a Ctrl-C is pasted text.
    assert_eq!(one_read(b"\x1b[200~a\x03b\x1b[201~"), [Input::Paste("a\u{3}b".into())]);
}

#[test]
fn replies_and_focus_reports_are_not_keys() {
    assert_eq!(one_read(b"\x1b[?1u\x1b[?62;22c\x1b[I\x1b[Ox"), [Input::KeyboardProtocol, key(KeyCode::Char('x'))]);
}

#[test]
fn a_utf8_character_split_across_reads() {
    let euro = "€".as_bytes();
    assert_eq!(decode(&[&euro[..1], &euro[1..]], Duration::ZERO), chars("€"));
}

#[test]
fn arbitrary_bytes_never_panic_and_leave_nothing_pending() {
    // A fixed pseudo-random stream: every byte value, many split points.
    let mut state = 0x2545_f491_u32;
    let bytes: Vec<u8> = (0..20_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            if state % 4 == 0 { 0x1b } else { state as u8 }
        })
        .collect();
    let chunks: Vec<&[u8]> = bytes.chunks(7).collect();
    decode(&chunks, Duration::from_millis(1));
}
