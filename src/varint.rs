//! LEB128 numbers and counted lists of them: the byte form in which
//! `build.rs` stores the search index of the embedded catalogue. Reading
//! checks every length against the bytes left, so damaged bytes give `None`.

/// Bytes being written. Only build.rs writes; the crate reads.
#[allow(dead_code)]
pub(crate) struct Writer(pub Vec<u8>);

#[allow(dead_code)]
impl Writer {
    /// Seven bits per byte, low bits first; the top bit says more follow.
    pub fn u32(&mut self, mut value: u32) {
        while value >= 0x80 {
            self.0.push(value as u8 | 0x80);
            value >>= 7;
        }
        self.0.push(value as u8);
    }

    pub fn len(&mut self, len: usize) {
        self.u32(u32::try_from(len).expect("a catalogue and its index have fewer than 2^32 of anything"));
    }

    pub fn numbers(&mut self, numbers: &[u32]) {
        self.len(numbers.len());
        for &number in numbers {
            self.u32(number);
        }
    }

    pub fn pairs(&mut self, pairs: &[(u32, u32)]) {
        self.len(pairs.len());
        for &(first, second) in pairs {
            self.u32(first);
            self.u32(second);
        }
    }
}

/// Bytes being read; every read checks there are enough.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.bytes.split_at_checked(len)?;
        self.bytes = rest;
        Some(taken)
    }

    #[inline(always)]
    pub fn u32(&mut self) -> Option<u32> {
        let (&byte, rest) = self.bytes.split_first()?;
        // Most numbers are one byte.
        if byte < 0x80 {
            self.bytes = rest;
            return Some(byte.into());
        }
        let mut value = 0u32;
        for shift in (0..32).step_by(7) {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            // The fifth byte holds the top four bits; more would not fit.
            if shift == 28 && byte > 0x0f {
                return None;
            }
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A count, checked against the bytes left so a damaged count cannot ask for
    /// a huge allocation.
    pub fn len(&mut self) -> Option<usize> {
        let len = self.u32()? as usize;
        (len <= self.bytes.len()).then_some(len)
    }

    // Plain loops: collecting an iterator of `Option`s into `Option<Vec>` does
    // not reserve, and took twice as long.
    pub fn numbers(&mut self) -> Option<Vec<u32>> {
        let len = self.len()?;
        let mut numbers = Vec::with_capacity(len);
        for _ in 0..len {
            numbers.push(self.u32()?);
        }
        Some(numbers)
    }

    pub fn pairs(&mut self) -> Option<Vec<(u32, u32)>> {
        let len = self.len()?;
        let mut pairs = Vec::with_capacity(len);
        for _ in 0..len {
            pairs.push((self.u32()?, self.u32()?));
        }
        Some(pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlong_number_is_refused() {
        // 2^32 as a varint: five bytes whose last carries a fifth bit.
        assert_eq!(Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x10]).u32(), None);
        assert_eq!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]).u32(), Some(u32::MAX));
    }
}
