//! Rules that merge adjacent RUN instructions: DS102 for RUNs that together
//! make one install (safe), DS113 for any adjacent RUNs of the final stage
//! (unsafe). Both use one edit: the text between the two scripts becomes a
//! `&&` continuation in the file's own style.

use super::packages;
use super::run::{self, RunView};
use crate::fix::{Applicability, Diagnostic, Fix};
use crate::rules::Checker;
use crate::semantic::{Resource, can_precede};
use crate::transforms::Manager;

/// The manager whose install group both RUNs belong to.
pub(crate) fn shared_group<'m>(
    checker: &'m Checker<'_>,
    a: &RunView<'_>,
    b: &RunView<'_>,
) -> Option<&'m Manager> {
    let (sa, sb) = (a.editable()?, b.editable()?);
    checker.managers.managers.iter().find(|manager| {
        let all_in = sa
            .commands
            .iter()
            .chain(&sb.commands)
            .all(|c| !c.nested && packages::in_group(manager, c));
        let installs =
            sa.commands.iter().chain(&sb.commands).any(|c| {
                packages::install(manager, c).is_some() || packages::is_update(manager, c)
            });
        all_in && installs
    })
}

/// RUNs next to each other (blank lines and comments between) that merge
/// rules consider: never one a pragma applies to, so the pragma keeps its scope.
fn candidate(checker: &Checker<'_>, a: &RunView<'_>, b: &RunView<'_>) -> bool {
    run::between(checker.document, a, b).is_some()
        && !super::pragma::marks(checker.document, a.item)
        && !super::pragma::marks(checker.document, b.item)
}

fn pairs<'c>(checker: &'c Checker<'_>) -> impl Iterator<Item = (&'c RunView<'c>, &'c RunView<'c>)> {
    checker
        .runs
        .windows(2)
        .map(|w| (&w[0], &w[1]))
        .filter(|(a, b)| candidate(checker, a, b))
}

/// The RUNs (indices into the checker's RUN views) that form one install of
/// `manager` with RUN `i`: the longest stretch of neighbouring RUNs around
/// it whose commands all belong to that manager's install group. A fact
/// about the Dockerfile that DS102 (which merges them) and the cleanup
/// rules (which treat them as one layer) both read.
pub(crate) fn install_group(checker: &Checker<'_>, i: usize, manager: &Manager) -> Vec<usize> {
    let runs = &checker.runs;
    let joined = |a: usize| {
        candidate(checker, &runs[a], &runs[a + 1])
            && shared_group(checker, &runs[a], &runs[a + 1])
                .is_some_and(|m| std::ptr::eq(m, manager))
    };
    let mut first = i;
    while first > 0 && joined(first - 1) {
        first -= 1;
    }
    let mut last = i;
    while last + 1 < runs.len() && joined(last) {
        last += 1;
    }
    (first..=last).collect()
}

/// The edits that merge a group of neighbouring RUNs into one, or `None`
/// when a pair of them cannot be merged exactly.
pub(crate) fn merge_group(checker: &Checker<'_>, group: &[usize]) -> Option<Vec<crate::fix::Edit>> {
    group
        .windows(2)
        .map(|w| run::merge_runs(checker.document, &checker.runs[w[0]], &checker.runs[w[1]]))
        .collect()
}

/// Merging RUN `b` into RUN `a` keeps what `b` means: within one shell the
/// working directory (`cd`) and exported variables of `a` carry over to
/// `b`, so `b` may need none of them (the model's dependency check).
fn merge_keeps_meaning(checker: &Checker<'_>, a: &RunView<'_>, b: &RunView<'_>) -> bool {
    let index = |v: &RunView<'_>| checker.runs.iter().position(|r| std::ptr::eq(r, v));
    let (Some(b_index), Some(script)) = (index(b), a.script()) else {
        return false;
    };
    // A heredoc's script is read from the source, a shell form's from the
    // logical line.
    let text = match a.form {
        run::RunForm::Heredoc(_) => checker.document.source(),
        _ => a.instruction.logical.as_str(),
    };
    let shell_state = crate::semantic::commands::script_shell_state(script, text);
    let needs: Vec<Resource> = checker.model.runs[b_index]
        .commands
        .iter()
        .flat_map(|c| c.needs.iter().cloned())
        .collect();
    can_precede(&needs, &shell_state)
}

pub(crate) fn check_install_runs(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    for (a, b) in pairs(checker) {
        let Some(manager) = shared_group(checker, a, b) else {
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            &crate::rules::merge_install_runs::RULE,
            b.instruction
                .source_range(b.instruction.command.keyword_range),
            format!(
                "this RUN continues the {} install of the RUN before it; they belong in one layer",
                manager.name.value
            ),
        );
        let fix = match run::merge_runs(checker.document, a, b) {
            Some(edit) => Fix::safe(vec![edit]),
            None => {
                let why = run::merge_obstacle(checker.document, a, b).unwrap_or("unknown");
                diagnostic
                    .message
                    .push_str(&format!(" (not merged automatically: {why})"));
                Fix::display_only()
            }
        };
        out.push(diagnostic.with_fix(fix));
    }
}

pub(crate) fn check_consecutive_runs(checker: &Checker<'_>, out: &mut Vec<Diagnostic>) {
    for (a, b) in pairs(checker) {
        if !checker.is_final_stage(a.stage) || shared_group(checker, a, b).is_some() {
            continue;
        }
        if !merge_keeps_meaning(checker, a, b) {
            continue;
        }
        let Some(edit) = run::merge_runs(checker.document, a, b) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &crate::rules::merge_consecutive_runs::RULE,
                b.instruction
                    .source_range(b.instruction.command.keyword_range),
                "adjacent RUN instructions: merging them saves a layer",
            )
            .with_fix(Fix::new(vec![edit], Applicability::Unsafe)),
        );
    }
}
