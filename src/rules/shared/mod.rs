//! What several rules share: the RUN view and its edits, package-manager
//! commands, pragmas, and the checks behind rule families (a flag inserted
//! after an install, a cleanup appended to it, RUNs merged, the final stage's
//! user and copies). The rules themselves are the files beside this folder.

pub(crate) mod append_cleanup;
pub(crate) mod final_stage;
pub(crate) mod insert_flag;
pub(crate) mod interpreter_start;
pub(crate) mod merge_runs;
pub(crate) mod packages;
pub(crate) mod pragma;
pub(crate) mod run;
