//! When each code happened: one shared grid of time buckets over the log's
//! span, with a count per bucket per row. The grid starts at one second per
//! bucket and doubles its bucket width whenever the span outgrows
//! `MAX_BUCKETS`, so memory is bounded whatever the log's length.

/// Buckets kept per row at most.
const MAX_BUCKETS: usize = 1024;
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Seconds per bucket, a power of two.
    width: i64,
    /// Absolute index (time / width) of bucket 0.
    first: i64,
    /// Buckets in use; 0 until a timestamp is seen.
    len: usize,
    earliest: Option<i64>,
    latest: Option<i64>,
    /// Counts per row; a row's vector may be shorter than `len` (trailing zeros).
    series: Vec<Vec<u64>>,
}

impl Timeline {
    pub fn add(&mut self, row: usize, time: i64) {
        self.earliest = Some(self.earliest.map_or(time, |t| t.min(time)));
        self.latest = Some(self.latest.map_or(time, |t| t.max(time)));
        if self.len == 0 {
            self.width = 1;
            self.first = time;
            self.len = 1;
        }
        let mut bucket = time.div_euclid(self.width);
        while bucket < self.first || bucket >= self.first + self.len as i64 {
            let start = self.first.min(bucket);
            let end = (self.first + self.len as i64).max(bucket + 1);
            if (end - start) as u64 <= MAX_BUCKETS as u64 {
                self.extend_back(self.first - start);
                self.len = (end - start) as usize;
                break;
            }
            self.double_width();
            bucket = time.div_euclid(self.width);
        }
        if self.series.len() <= row {
            self.series.resize_with(row + 1, Vec::new);
        }
        let index = (bucket - self.first) as usize;
        let series = &mut self.series[row];
        if series.len() <= index {
            series.resize(index + 1, 0);
        }
        series[index] += 1;
    }

    /// Moves bucket 0 `by` buckets earlier.
    fn extend_back(&mut self, by: i64) {
        if by <= 0 {
            return;
        }
        self.first -= by;
        for series in &mut self.series {
            if !series.is_empty() {
                series.splice(0..0, std::iter::repeat_n(0, by as usize));
            }
        }
    }

    fn double_width(&mut self) {
        let new_first = self.first.div_euclid(2);
        for series in &mut self.series {
            let mut merged = Vec::with_capacity(series.len() / 2 + 1);
            for (index, &count) in series.iter().enumerate() {
                let target = ((self.first + index as i64).div_euclid(2) - new_first) as usize;
                if merged.len() <= target {
                    merged.resize(target + 1, 0);
                }
                merged[target] += count;
            }
            *series = merged;
        }
        let last = self.first + self.len as i64 - 1;
        self.width *= 2;
        self.len = (last.div_euclid(2) - new_first + 1) as usize;
        self.first = new_first;
    }

    /// The first and last timestamps seen, if any line had one.
    pub fn span(&self) -> Option<(i64, i64)> {
        self.earliest.zip(self.latest)
    }

    /// A row's counts regrouped into at most `cells` equal slices of the span
    /// (fewer when the span has fewer buckets); empty when no line had a time.
    pub fn cells(&self, row: usize, cells: usize) -> Vec<u64> {
        if self.len == 0 || cells == 0 {
            return Vec::new();
        }
        let cells = cells.min(self.len);
        let mut out = vec![0; cells];
        if let Some(series) = self.series.get(row) {
            for (index, &count) in series.iter().enumerate() {
                out[index * cells / self.len] += count;
            }
        }
        out
    }
}

/// Bars scaled to the largest cell; an empty cell is a space, so "never" and
/// "a little" look different.
pub fn sparkline(cells: &[u64]) -> String {
    let max = cells.iter().copied().max().unwrap_or(0);
    cells
        .iter()
        .map(|&count| match count {
            0 => ' ',
            _ => BARS[(count * (BARS.len() as u64 - 1) / max) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_survive_widening_and_reaching_back() {
        let mut timeline = Timeline::default();
        let times: Vec<i64> = (0..5000).map(|i| 1_700_000_000 + (i * 7919) % 100_000).collect();
        for (n, &time) in times.iter().enumerate() {
            timeline.add(n % 3, time);
        }
        let total: u64 = (0..3).map(|row| timeline.cells(row, 10).iter().sum::<u64>()).sum();
        assert_eq!(total, 5000);
        assert!(timeline.len <= MAX_BUCKETS);
        assert_eq!(timeline.span(), Some((*times.iter().min().unwrap(), *times.iter().max().unwrap())));
    }

    #[test]
    fn a_burst_at_the_end_shows_at_the_end() {
        let mut timeline = Timeline::default();
        for second in 0..600 {
            timeline.add(0, 1_000 + second);
        }
        for _ in 0..50 {
            timeline.add(1, 1_590);
        }
        let line = sparkline(&timeline.cells(1, 6));
        assert_eq!(line, "     █");
        assert_eq!(sparkline(&timeline.cells(0, 6)), "██████");
    }

    #[test]
    fn far_apart_timestamps_stay_bounded() {
        let mut timeline = Timeline::default();
        timeline.add(0, 0);
        timeline.add(0, 253_402_300_799);
        timeline.add(1, 5);
        assert!(timeline.len <= MAX_BUCKETS);
        assert_eq!(timeline.cells(0, 4).iter().sum::<u64>(), 2);
    }
}
