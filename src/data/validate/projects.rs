//! Programmes, then projects: ids, the programme each belongs to, their indicators.

use std::collections::HashSet;

use super::{run, Ctx, Flow};
use crate::data::load::Src;
use crate::data::model::{ProgramRaw, ProjectRaw};
use crate::data::{Flag, Indicator, PartKind, Program, Project};
use crate::diag::did_you_mean;
use crate::paths::is_safe_slug;

type ProgramRule = fn(&mut Ctx, &Src, &ProgramRaw) -> Flow;

const PROGRAM_RULES: &[(&str, ProgramRule)] = &[("programme id is a unique slug", program_id)];

/// What the rules on a `[[project]]` resolve.
#[derive(Default)]
struct ProjectDraft {
    program: Option<usize>,
    indicators: Vec<Indicator>,
    flags: Vec<Flag>,
    budget_parts: Vec<PartKind>,
}

type ProjectRule = fn(&mut Ctx, &Src, &ProjectRaw, &mut ProjectDraft) -> Flow;

const PROJECT_RULES: &[(&str, ProjectRule)] = &[
    ("project id is a unique slug", project_id),
    ("project programme exists", project_program),
    (
        "indicator ids are unique slugs within the project",
        project_indicators,
    ),
    (
        "row keys declared once, apart from the built-in ones",
        project_flags,
    ),
    ("budget parts are known, each once", project_budget_parts),
];

#[cfg(test)]
pub(super) fn rule_names() -> impl Iterator<Item = &'static str> {
    super::names(PROGRAM_RULES).chain(super::names(PROJECT_RULES))
}

/// Runs [`PROGRAM_RULES`] on every `[[program]]`, keeping those they accept.
pub(super) fn declare_programs(ctx: &mut Ctx) {
    let raw = ctx.raw;
    let Some((src, file)) = &raw.programs else {
        return;
    };
    for p in &file.program {
        if run(PROGRAM_RULES, |rule| rule(ctx, src, p)) == Flow::Drop {
            continue;
        }
        let id = p.id.get_ref();
        ctx.program_index
            .insert(id.clone(), ctx.data.programs.len());
        ctx.data.programs.push(Program {
            id: id.clone(),
            name: p.name.clone(),
            decision: p.decision.clone().unwrap_or_default(),
            start_year: p.start_year,
            end_year: p.end_year,
        });
    }
}

fn program_id(ctx: &mut Ctx, src: &Src, p: &ProgramRaw) -> Flow {
    let id = p.id.get_ref();
    if is_safe_slug(id) && !ctx.program_index.contains_key(id) {
        return Flow::Keep;
    }
    ctx.diags.push(
        src.error(
            p.id.span(),
            format!("mã chương trình \"{id}\" không hợp lệ hoặc bị trùng"),
        )
        .hint("mỗi [[program]] cần một id riêng, viết thường không dấu"),
    );
    Flow::Drop
}

/// Runs [`PROJECT_RULES`] on every `[[project]]`, keeping those they accept.
pub(super) fn declare_projects(ctx: &mut Ctx) {
    let raw = ctx.raw;
    let Some((src, file)) = &raw.programs else {
        return;
    };
    for p in &file.project {
        let mut draft = ProjectDraft::default();
        let flow = run(PROJECT_RULES, |rule| rule(ctx, src, p, &mut draft));
        let (Flow::Keep, Some(program)) = (flow, draft.program) else {
            continue;
        };
        let id = p.id.get_ref();
        ctx.data
            .project_index
            .insert(id.clone(), ctx.data.projects.len());
        ctx.data.projects.push(Project {
            id: id.clone(),
            program,
            number: p.number,
            name: p.name.clone(),
            lead_agency: p.lead_agency.clone().unwrap_or_default(),
            indicators: draft.indicators,
            flags: draft.flags,
            budget_parts: draft.budget_parts,
        });
    }
}

/// Keeps the declared budget lines it knows, each once; another name is an error with the
/// nearest known one.
fn project_budget_parts(
    ctx: &mut Ctx,
    src: &Src,
    p: &ProjectRaw,
    draft: &mut ProjectDraft,
) -> Flow {
    let keys = PartKind::ALL.map(PartKind::key);
    for part in &p.budget_parts {
        let name = part.get_ref();
        let (message, hint) = match PartKind::from_key(name) {
            Some(k) if !draft.budget_parts.contains(&k) => {
                draft.budget_parts.push(k);
                continue;
            }
            Some(_) => (
                format!("dòng kinh phí \"{name}\" được khai báo hai lần"),
                "xoá một lần khai báo".to_string(),
            ),
            None => (
                format!("không có dòng kinh phí \"{name}\""),
                match did_you_mean(name, keys.iter().copied()) {
                    Some(s) => format!("có phải ý bạn là `{s}`? các dòng có thể khai báo: investment (vốn đầu tư phát triển), recurrent (vốn sự nghiệp), carried_over (vốn năm trước chuyển sang)"),
                    None => "các dòng có thể khai báo: investment (vốn đầu tư phát triển), recurrent (vốn sự nghiệp), carried_over (vốn năm trước chuyển sang)".to_string(),
                },
            ),
        };
        ctx.diags.push(src.error(part.span(), message).hint(hint));
    }
    Flow::Keep
}

fn project_id(ctx: &mut Ctx, src: &Src, p: &ProjectRaw, _: &mut ProjectDraft) -> Flow {
    let id = p.id.get_ref();
    if is_safe_slug(id) && !ctx.data.project_index.contains_key(id) {
        return Flow::Keep;
    }
    ctx.diags.push(
        src.error(
            p.id.span(),
            format!("mã dự án \"{id}\" không hợp lệ hoặc bị trùng"),
        )
        .hint("mỗi [[project]] cần một id riêng, viết thường không dấu, ví dụ du-an-8"),
    );
    Flow::Drop
}

fn project_program(ctx: &mut Ctx, src: &Src, p: &ProjectRaw, draft: &mut ProjectDraft) -> Flow {
    if let Some(&program) = ctx.program_index.get(p.program.get_ref()) {
        draft.program = Some(program);
        return Flow::Keep;
    }
    let ids: Vec<&str> = ctx.data.programs.iter().map(|x| x.id.as_str()).collect();
    let hint = match did_you_mean(p.program.get_ref(), ids.iter().copied()) {
        Some(s) => format!("có phải ý bạn là `{s}`?"),
        None => format!("các chương trình đã khai báo: {}", ids.join(", ")),
    };
    ctx.diags.push(
        src.error(
            p.program.span(),
            format!("không có chương trình \"{}\"", p.program.get_ref()),
        )
        .hint(hint),
    );
    Flow::Drop
}

/// Keeps the project's indicators whose ids are slugs, the first of each id.
fn project_indicators(ctx: &mut Ctx, src: &Src, p: &ProjectRaw, draft: &mut ProjectDraft) -> Flow {
    let mut seen = HashSet::new();
    for ind in &p.indicator {
        if !is_safe_slug(ind.id.get_ref()) || !seen.insert(ind.id.get_ref().clone()) {
            ctx.diags.push(
                src.error(
                    ind.id.span(),
                    format!(
                        "mã chỉ tiêu \"{}\" không hợp lệ hoặc bị trùng trong dự án {}",
                        ind.id.get_ref(),
                        p.id.get_ref()
                    ),
                )
                .hint("mỗi chỉ tiêu cần id riêng, viết thường không dấu (dùng - hoặc _)"),
            );
            continue;
        }
        draft.indicators.push(Indicator {
            id: ind.id.get_ref().clone(),
            name: ind.name.clone(),
            unit: ind.unit.clone(),
        });
    }
    Flow::Keep
}

/// Keeps the project's declared row keys whose ids are slugs, the first of each id, and not
/// one of a row's own keys (area, budget, indicators, illustrative) or an indicator id.
fn project_flags(ctx: &mut Ctx, src: &Src, p: &ProjectRaw, draft: &mut ProjectDraft) -> Flow {
    let mut seen = HashSet::new();
    for f in &p.flag {
        let id = f.id.get_ref();
        let taken = super::breakdown::ROW_KEYS.contains(&id.as_str())
            || draft.indicators.iter().any(|i| &i.id == id);
        let problem = if !is_safe_slug(&id.replace('_', "-")) {
            Some("không hợp lệ (chỉ dùng chữ thường không dấu, số, _ và -)")
        } else if taken {
            Some("trùng với một khoá có sẵn của dòng breakdown hoặc một chỉ tiêu")
        } else if !seen.insert(id.clone()) {
            Some("bị khai báo hai lần")
        } else {
            None
        };
        if let Some(problem) = problem {
            ctx.diags.push(
                src.error(f.id.span(), format!("khoá dòng \"{id}\" {problem}"))
                    .hint("đặt cho mỗi [[project.flag]] một id riêng, ví dụ plan_issued"),
            );
            continue;
        }
        draft.flags.push(Flag {
            id: id.clone(),
            name: f.name.clone(),
            kind: f.kind,
            yes: f.yes.clone(),
            no: f.no.clone(),
            unit: f.unit.clone(),
        });
    }
    Flow::Keep
}

#[cfg(test)]
mod tests {
    use crate::data::validate::testing::*;

    const CT: &str = "[[program]]\nid = \"chuong-trinh\"\nname = \"CT\"\n";

    fn project(id: &str, program: &str) -> String {
        format!("[[project]]\nid = \"{id}\"\nprogram = \"{program}\"\nname = \"Dự án\"\n")
    }

    #[test]
    fn budget_parts_are_known_each_once() {
        let p = format!(
            "{CT}{}budget_parts = [\"recurrent\", \"carried-over\", \"recurrent\", \"von_khac\"]\n",
            project("du-an-1", "chuong-trinh")
        );
        let (data, diags) = check(raw("", &p, &[]));
        let all = "các dòng có thể khai báo: investment (vốn đầu tư phát triển), recurrent (vốn sự nghiệp), carried_over (vốn năm trước chuyển sang)";
        assert_eq!(
            diags,
            [
                err("content/data/programs.toml:8:30: không có dòng kinh phí \"carried-over\"", &format!("có phải ý bạn là `carried_over`? {all}")),
                err("content/data/programs.toml:8:46: dòng kinh phí \"recurrent\" được khai báo hai lần", "xoá một lần khai báo"),
                err("content/data/programs.toml:8:59: không có dòng kinh phí \"von_khac\"", all),
            ]
        );
        assert_eq!(
            data.projects[0].budget_parts,
            [crate::data::PartKind::Recurrent]
        );
    }

    #[test]
    fn programme_id_is_a_unique_slug() {
        let (data, diags) = check(raw(
            "",
            &format!("{CT}{CT}{}", CT.replace("chuong-trinh", "CT 2")),
            &[],
        ));
        let hint = "mỗi [[program]] cần một id riêng, viết thường không dấu";
        assert_eq!(
            diags,
            [
                err("content/data/programs.toml:5:6: mã chương trình \"chuong-trinh\" không hợp lệ hoặc bị trùng", hint),
                err("content/data/programs.toml:8:6: mã chương trình \"CT 2\" không hợp lệ hoặc bị trùng", hint),
            ]
        );
        assert_eq!(data.programs.len(), 1);
    }

    #[test]
    fn project_id_is_a_unique_slug() {
        let text = [
            CT,
            &project("du-an-1", "chuong-trinh"),
            &project("du-an-1", "chuong-trinh"),
            &project("Dự án 2", "chuong-trinh"),
        ]
        .concat();
        let (data, diags) = check(raw("", &text, &[]));
        let hint = "mỗi [[project]] cần một id riêng, viết thường không dấu, ví dụ du-an-8";
        assert_eq!(
            diags,
            [
                err("content/data/programs.toml:9:6: mã dự án \"du-an-1\" không hợp lệ hoặc bị trùng", hint),
                err("content/data/programs.toml:13:6: mã dự án \"Dự án 2\" không hợp lệ hoặc bị trùng", hint),
            ]
        );
        assert_eq!(data.projects.len(), 1);
    }

    #[test]
    fn project_programme_exists() {
        let text = [
            CT,
            &project("a", "chuong-trin"),
            &project("b", "khac"),
            &project("c", "chuong-trinh"),
        ]
        .concat();
        let (data, diags) = check(raw("", &text, &[]));
        assert_eq!(
            diags,
            [
                err(
                    "content/data/programs.toml:6:11: không có chương trình \"chuong-trin\"",
                    "có phải ý bạn là `chuong-trinh`?"
                ),
                err(
                    "content/data/programs.toml:10:11: không có chương trình \"khac\"",
                    "các chương trình đã khai báo: chuong-trinh"
                ),
            ]
        );
        assert_eq!(data.projects.len(), 1);
        assert_eq!(
            (data.projects[0].id.as_str(), data.projects[0].program),
            ("c", 0)
        );
    }

    #[test]
    fn indicator_ids_are_unique_slugs_within_the_project() {
        let ind = |id: &str| format!("[[project.indicator]]\nid = \"{id}\"\nname = \"{id}\"\n");
        let text = [
            CT,
            &project("du-an-1", "chuong-trinh"),
            &ind("lop"),
            &ind("lop"),
            &ind("Lớp"),
            &ind("hoc_vien"),
        ]
        .concat();
        let (data, diags) = check(raw("", &text, &[]));
        let hint = "mỗi chỉ tiêu cần id riêng, viết thường không dấu (dùng - hoặc _)";
        assert_eq!(
            diags,
            [
                err("content/data/programs.toml:12:6: mã chỉ tiêu \"lop\" không hợp lệ hoặc bị trùng trong dự án du-an-1", hint),
                err("content/data/programs.toml:15:6: mã chỉ tiêu \"Lớp\" không hợp lệ hoặc bị trùng trong dự án du-an-1", hint),
            ]
        );
        let kept: Vec<&str> = data.projects[0]
            .indicators
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(kept, ["lop", "hoc_vien"]);
    }
}
