//! Requirements (`requires ...`) shared by graduation, programs and certificates.

use super::expr::condition;
use super::lexical::{idents, number, text};
use super::Writer;
use crate::ast::{Node, Requirement, RequirementBody};

/// Writes each requirement on its own line.
pub(super) fn requirements(w: &mut Writer, list: &[Node<Requirement>]) {
    for req in list {
        w.single(req, &requirement(&req.value));
    }
}

/// `requires [id:] BODY ["label"] [source "..."]`
pub(super) fn requirement(req: &Requirement) -> String {
    let mut out = String::from("requires ");
    if let Some(id) = &req.id {
        out.push_str(&id.value);
        out.push_str(": ");
    }
    out.push_str(&body(&req.body));
    if let Some(label) = &req.label {
        out.push(' ');
        out.push_str(&text(label));
    }
    if let Some(source) = &req.source {
        out.push_str(" source ");
        out.push_str(&text(source));
    }
    out
}

fn body(body: &RequirementBody) -> String {
    match body {
        RequirementBody::Total(n) => format!("total at least {}", number(&n.value)),
        RequirementBody::Category(id, n) => {
            format!("category {} at least {}", id.value, number(&n.value))
        }
        RequirementBody::Tagged(id, n) => {
            format!("tagged {} at least {}", id.value, number(&n.value))
        }
        RequirementBody::Kind(id, n) => format!("kind {} at least {}", id.value, number(&n.value)),
        RequirementBody::Count {
            kind,
            filter,
            at_least,
        } => match filter {
            Some(filter) => format!(
                "count {} where {} at least {}",
                kind.value,
                condition(filter),
                at_least.value
            ),
            None => format!("count {} at least {}", kind.value, at_least.value),
        },
        RequirementBody::Gpa(n) => format!("gpa at least {}", number(&n.value)),
        RequirementBody::FailedCredits(n) => {
            format!("failed-credits at most {}", number(&n.value))
        }
        RequirementBody::Courses(codes) => format!("courses {}", idents(codes)),
        RequirementBody::NOf { n, courses } => format!("{} of ({})", n.value, idents(courses)),
        RequirementBody::Program(id) => format!("program {}", id.value),
        RequirementBody::Graduation => "graduation".to_string(),
    }
}
