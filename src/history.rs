//! Where a fix happened in the file the user wrote. The fix loop applies
//! edits in rounds, each against the text the previous round left; a fix of
//! round three is located in that text. [`EditHistory`] keeps each round's
//! edits and maps a range back through them to the original, so reports can
//! say "line 4 of your Dockerfile" for every fix, whichever round applied it.

use crate::fix::Edit;
use crate::syntax::TextRange;

/// The edits of every round, in order; each round's sorted by position, in
/// the coordinates of the text that round started from.
#[derive(Clone, Debug, Default)]
pub struct EditHistory {
    rounds: Vec<Vec<Edit>>,
}

impl EditHistory {
    /// Records a round's applied edits (in the coordinates of the text it
    /// started from).
    pub fn push_round(&mut self, mut edits: Vec<Edit>) {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        self.rounds.push(edits);
    }

    pub fn rounds(&self) -> usize {
        self.rounds.len()
    }

    /// `range` in the text after all recorded rounds, mapped to the
    /// original. A bound inside text an edit inserted goes to the edge of
    /// what that edit replaced: the start to its start, the end to its end,
    /// so the result covers every original byte the range depends on.
    pub fn to_original(&self, range: TextRange) -> TextRange {
        self.rounds.iter().rev().fold(range, |r, edits| {
            // An empty range where text was deleted maps to the deleted
            // bytes: its end lands before them and its start after.
            let (start, end) = (map_start(edits, r.start), map_end(edits, r.end));
            TextRange::new(start.min(end), start.max(end))
        })
    }
}

/// An offset in the text after `edits`, as a start bound in the text before.
fn map_start(edits: &[Edit], offset: usize) -> usize {
    let mut shift: isize = 0;
    for edit in edits {
        let new_start = (edit.range.start as isize + shift) as usize;
        let new_end = new_start + edit.content.len();
        if offset < new_start {
            break;
        }
        if offset < new_end {
            return edit.range.start;
        }
        shift += edit.content.len() as isize - edit.range.len() as isize;
    }
    (offset as isize - shift) as usize
}

/// An offset in the text after `edits`, as an end bound in the text before.
fn map_end(edits: &[Edit], offset: usize) -> usize {
    let mut shift: isize = 0;
    for edit in edits {
        let new_start = (edit.range.start as isize + shift) as usize;
        let new_end = new_start + edit.content.len();
        if offset <= new_start {
            break;
        }
        if offset <= new_end {
            return edit.range.end;
        }
        shift += edit.content.len() as isize - edit.range.len() as isize;
    }
    (offset as isize - shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_rounds() {
        // "abcdef" -> round 1 inserts "XY" at 1 -> "aXYbcdef"
        //          -> round 2 replaces "cd" (4..6) by "Z" -> "aXYbZef"
        let mut history = EditHistory::default();
        history.push_round(vec![Edit::insert(1, "XY")]);
        // Untouched text after round 1 shifts back by two.
        assert_eq!(
            history.to_original(TextRange::new(4, 6)),
            TextRange::new(2, 4)
        );
        // The inserted text maps to where it was inserted.
        assert_eq!(
            history.to_original(TextRange::new(1, 3)),
            TextRange::new(1, 1)
        );
        assert_eq!(
            history.to_original(TextRange::new(0, 1)),
            TextRange::new(0, 1)
        );
        history.push_round(vec![Edit::replace(TextRange::new(4, 6), "Z")]);
        // "Z" (4..5 now) stands for "cd", originally 2..4.
        assert_eq!(
            history.to_original(TextRange::new(4, 5)),
            TextRange::new(2, 4)
        );
        // "ef" (5..7 now) was 4..6.
        assert_eq!(
            history.to_original(TextRange::new(5, 7)),
            TextRange::new(4, 6)
        );
        // Everything maps to everything.
        assert_eq!(
            history.to_original(TextRange::new(0, 7)),
            TextRange::new(0, 6)
        );
    }

    #[test]
    fn deletions_and_several_edits_in_a_round() {
        // "0123456789": delete 2..4, insert "ab" at 6 -> "0145ab6789".
        let mut history = EditHistory::default();
        history.push_round(vec![
            Edit::insert(6, "ab"),
            Edit::delete(TextRange::new(2, 4)),
        ]);
        // "ab" is at 4..6 now.
        assert_eq!(
            history.to_original(TextRange::new(4, 6)),
            TextRange::new(6, 6)
        );
        // "6789" at 6..10 was 6..10.
        assert_eq!(
            history.to_original(TextRange::new(6, 10)),
            TextRange::new(6, 10)
        );
        // The empty range where "23" was deleted stands for them.
        assert_eq!(
            history.to_original(TextRange::empty(2)),
            TextRange::new(2, 4)
        );
        assert_eq!(
            history.to_original(TextRange::new(1, 3)),
            TextRange::new(1, 5)
        );
    }
}
