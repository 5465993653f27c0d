//! Back/forward through the entries reached by following related-code links,
//! with a browser's semantics: following a new link after going back drops the
//! forward entries.

const MAX_LEN: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Catalogue positions of visited entries, oldest first.
    visits: Vec<usize>,
    /// Index in `visits` of the entry being shown.
    cursor: usize,
}

impl History {
    /// Records a jump from `from` to `to`.
    pub fn follow(&mut self, from: usize, to: usize) {
        if self.visits.get(self.cursor) != Some(&from) {
            // The user moved elsewhere since the last jump: start a fresh trail here.
            self.visits.truncate(self.cursor + usize::from(!self.visits.is_empty()));
            if self.visits.last() != Some(&from) {
                self.visits.push(from);
            }
        } else {
            self.visits.truncate(self.cursor + 1);
        }
        if self.visits.last() != Some(&to) {
            self.visits.push(to);
        }
        if self.visits.len() > MAX_LEN {
            self.visits.drain(..self.visits.len() - MAX_LEN);
        }
        self.cursor = self.visits.len() - 1;
    }

    pub fn back(&mut self) -> Option<usize> {
        let previous = self.cursor.checked_sub(1)?;
        self.cursor = previous;
        self.visits.get(previous).copied()
    }

    pub fn forward(&mut self) -> Option<usize> {
        let next = self.visits.get(self.cursor + 1).copied()?;
        self.cursor += 1;
        Some(next)
    }

    pub fn can_go_back(&self) -> bool {
        self.cursor > 0
    }

    pub fn can_go_forward(&self) -> bool {
        self.cursor + 1 < self.visits.len()
    }

    /// The visited entries, oldest first, and which one is current.
    #[cfg(test)]
    fn trail(&self) -> (&[usize], usize) {
        (&self.visits, self.cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_and_forward_walk_the_trail() {
        let mut h = History::default();
        h.follow(1, 2);
        h.follow(2, 3);
        assert_eq!(h.back(), Some(2));
        assert_eq!(h.back(), Some(1));
        assert_eq!(h.back(), None);
        assert_eq!(h.forward(), Some(2));
        assert_eq!(h.forward(), Some(3));
        assert_eq!(h.forward(), None);
    }

    #[test]
    fn following_after_back_drops_forward_entries() {
        let mut h = History::default();
        h.follow(1, 2);
        h.follow(2, 3);
        h.back();
        h.follow(2, 4);
        assert_eq!(h.trail(), (&[1, 2, 4][..], 2));
        assert!(!h.can_go_forward());
    }

    #[test]
    fn jumping_from_elsewhere_keeps_the_trail_up_to_the_current_entry() {
        let mut h = History::default();
        h.follow(1, 2);
        // The user selected entry 7 in the list, then followed a link from it.
        h.follow(7, 8);
        assert_eq!(h.trail(), (&[1, 2, 7, 8][..], 3));
        assert_eq!(h.back(), Some(7));
    }

    #[test]
    fn length_is_capped() {
        let mut h = History::default();
        for i in 0..300 {
            h.follow(i, i + 1);
        }
        assert_eq!(h.trail().0.len(), MAX_LEN);
        assert_eq!(h.trail().0.last(), Some(&300));
    }
}
