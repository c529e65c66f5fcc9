//! How long checking a large ruleset takes: parse, semantic checks, and formatting.
//!
//! The ruleset is generated: a realistic shape (a big catalog, many outcome kinds, conversion
//! rules, caps and reviews) scaled to about 5,000 lines. The acceptance bar is `check` under
//! 50 ms.

use creditbank_dsl::{check, format, parse, SourceFile};
use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;

/// A valid ruleset of about `lines` lines.
fn large_ruleset(lines: usize) -> String {
    let mut s = String::new();
    s.push_str(
        r#"ruleset "bench-university/undergraduate" version "2026.1" {
  title "基准大学本科学分规则"
  effective 2026-09-01
  supersedes "2025.1"
  rounding gpa half-up 2
  rounding credits half-up 1
  year starts 09-01
  source "基准大学本科生学分制管理办法"
}

categories {
  general "通识教育"
  major "专业教育"
  innovation "创新创业"
  practice "实践教学"
}

scale pku "北京大学绩点" formula over [0, 100] pass 60 {
  when score >= 60 => 4 - 3 * (100 - score) ^ 2 / 1600
  else => 0
}

scale five "五级制" text {
  "优秀" => 4.0
  "良好" => 3.0
  "中等" => 2.0
  "及格" => 1.0
  "不及格" => 0 fail
}

gpa "平均学分绩点" {
  scores use pku
  grades use five
  weight credits
  retake best
}

institutions {
  self "基准大学" in-school share 100%
  icourse "中国大学MOOC" mooc-platform share 100%
}

"#,
    );
    // Each kind brings a kind block, two conversion rules, a cap and a review: 33 lines.
    let kinds = lines / 100;
    let courses = lines - 60 - kinds * 33 - 20;
    let categories = ["general", "major", "innovation", "practice"];
    s.push_str("catalog \"培养方案\" {\n");
    for i in 0..courses {
        let _ = writeln!(
            s,
            "  course C{i:05} \"课程{i}\" credits {}.{} category {} tags t{} term {}",
            1 + i % 4,
            (i % 2) * 5,
            categories[i % 4],
            i % 50,
            1 + i % 8
        );
    }
    s.push_str("}\n\n");
    for k in 0..kinds {
        let _ = write!(
            s,
            r#"kind k{k} "成果{k}" {{
  attribute level one of national "国家级", provincial "省级", school "校级"
  attribute award one of first, second, third
  attribute hours number [0, 1000]
  evidence certificate "证书"
}}

convert k{k}-award "成果{k}奖项" {{
  kind k{k}
  when level in (national, provincial) and hours >= 0
  into innovation
  credits by award {{
    first => 4
    second => 3
    third => 2
  }}
  highest only per level
  expires after 4 years
  source "第{k}条"
}}

convert k{k}-hours {{
  kind k{k}
  when level = school
  into practice
  credits hours / 16 rounded down to 0.5
}}

cap k{k}-cap {{
  on kind k{k}
  at most 4 per year
}}

review k{k}-review {{
  for k{k}
  require evidence certificate because "缺少证书"
  approve when level = national because "国家级自动认定"
  otherwise manual because "人工审核"
}}

"#
        );
    }
    s.push_str(
        r#"graduation "毕业要求" {
  requires total at least 160
  requires category major at least 60
  requires category innovation at least 4
  requires gpa at least 2.0
  requires failed-credits at most 30
  requires courses C00001, C00002
  requires 2 of (C00003, C00004, C00005)
}
"#,
    );
    s
}

fn bench(c: &mut Criterion) {
    let text = large_ruleset(5_000);
    let source = SourceFile::new("bench.cbr", text);
    let checked = check(&source);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "the bench ruleset must be valid: {errors:?}"
    );
    eprintln!("bench ruleset: {} lines", source.line_count());

    let mut group = c.benchmark_group("ruleset-5000-lines");
    group.bench_function("parse", |b| b.iter(|| parse(&source)));
    group.bench_function("check", |b| b.iter(|| check(&source)));
    let tree = checked.file;
    group.bench_function("format", |b| b.iter(|| format(&tree)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
