//! When each code happened: one shared grid of time buckets over the log's
//! span, with a count per bucket per row. The grid starts at one unit per
//! bucket (a second, or a minute for the per-minute rates) and doubles its
//! bucket width whenever the span outgrows `MAX_BUCKETS`, so memory is
//! bounded whatever the log's length; buckets stay aligned to the unit.

/// Buckets kept per row at most.
const MAX_BUCKETS: usize = 1024;
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Seconds in the first bucket width; 0 means 1.
    unit: i64,
    /// Seconds per bucket, the unit times a power of two.
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
    /// Buckets of `unit` seconds at first (60: whole minutes).
    pub fn with_unit(unit: i64) -> Self {
        Timeline { unit, ..Timeline::default() }
    }

    pub fn add(&mut self, row: usize, time: i64) {
        self.earliest = Some(self.earliest.map_or(time, |t| t.min(time)));
        self.latest = Some(self.latest.map_or(time, |t| t.max(time)));
        if self.len == 0 {
            self.width = self.unit.max(1);
            self.first = time.div_euclid(self.width);
            self.len = 1;
        }
        self.place(row, time, 1);
    }

    /// Adds the counts of `other` (the same unit), its row `r` to this one's
    /// `row_of(r)`: the grid comes out as if every time had been added here.
    /// The width a grid ends with is the narrowest its times fit in, whatever
    /// the order they came in. Each bucket of `other` is added as its start:
    /// at its width or wider the start falls where each of its times does, and
    /// the starts fit no narrower width than the times did (they span an odd
    /// number of half-width buckets, the times one more, both over the limit).
    pub fn merge(&mut self, other: &Timeline, row_of: impl Fn(usize) -> usize) {
        if other.len == 0 {
            return;
        }
        if self.len == 0 {
            (self.width, self.first, self.len) = (other.width, other.first, 1);
        }
        for (row, series) in other.series.iter().enumerate() {
            for (index, &count) in series.iter().enumerate().filter(|(_, count)| **count > 0) {
                self.place(row_of(row), (other.first + index as i64) * other.width, count);
            }
        }
        self.earliest = self.earliest.into_iter().chain(other.earliest).min();
        self.latest = self.latest.into_iter().chain(other.latest).max();
    }

    /// Adds `count` at `time` to a row, widening the grid as it needs.
    fn place(&mut self, row: usize, time: i64, count: u64) {
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
        series[index] += count;
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

    /// The grid: the start of its first bucket (Unix seconds), the seconds per
    /// bucket and how many buckets; `None` before any timestamp.
    pub fn grid(&self) -> Option<(i64, i64, usize)> {
        (self.len > 0).then_some((self.first * self.width, self.width, self.len))
    }

    /// A row's count in every bucket of the grid.
    pub fn series(&self, row: usize) -> Vec<u64> {
        let mut out = self.series.get(row).cloned().unwrap_or_default();
        out.resize(self.len, 0);
        out
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

/// Every status per minute by class (rows 1–5 for 1xx–5xx, 0 for 000), for
/// the error rates over time.
#[derive(Debug, Clone)]
pub struct Minutes(pub Timeline);

impl Default for Minutes {
    fn default() -> Self {
        Minutes(Timeline::with_unit(60))
    }
}

/// Bars scaled to the largest cell; an empty cell is a space, so "never" and
/// "a little" look different.
pub fn sparkline(cells: &[u64]) -> String {
    scaled_sparkline(cells, cells.iter().copied().max().unwrap_or(0))
}

/// Bars scaled to `max`, shared by every row of a table so that rows compare:
/// a row whose cells are all far below `max` shows low bars.
pub fn scaled_sparkline(cells: &[u64], max: u64) -> String {
    let max = max.max(cells.iter().copied().max().unwrap_or(0));
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
    fn minute_buckets_are_aligned_and_scales_shared() {
        let mut timeline = Timeline::with_unit(60);
        timeline.add(0, 1_000_030);
        timeline.add(0, 1_000_150);
        let (start, width, len) = timeline.grid().unwrap();
        assert_eq!((start, width, len), (1_000_020, 60, 3));
        assert_eq!(timeline.series(0), [1, 0, 1]);
        assert_eq!(scaled_sparkline(&[1, 0, 8], 8), "▁ █");
        assert_eq!(scaled_sparkline(&[1, 1], 8), "▁▁");
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
