use super::*;
use creditbank_dsl::ast::{ConversionRule, CreditAmount, Item};
use creditbank_dsl::{parse, SourceFile};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Parses `convert r { kind k when COND into c credits EXPR }` and returns the rule.
fn rule(when: &str, credits: &str) -> ConversionRule {
    let text = format!("convert r {{ kind k when {when} into c credits {credits} }}");
    let parsed = parse(&SourceFile::new("t.cbr", text));
    parsed
        .file
        .items
        .into_iter()
        .find_map(|item| match item.value {
            Item::Convert(rule) => Some(rule),
            _ => None,
        })
        .unwrap()
}

fn expr_of(text: &str) -> ast::Expr {
    match rule("hours > 0", text).credits.value {
        CreditAmount::Formula { expr, .. } => expr,
        other => panic!("not a formula: {other:?}"),
    }
}

fn condition_of(text: &str) -> Condition {
    rule(text, "1").when.unwrap().value
}

/// Slots: hours 0, weeks 1, level 2 (national, provincial, school), system 3 (text),
/// rank 4, on 5 (date).
fn slots(name: &str) -> Option<Slot> {
    let (index, ty) = match name {
        "hours" => (0, SlotType::Number),
        "weeks" => (1, SlotType::Number),
        "level" => (
            2,
            SlotType::Enum {
                values: vec!["national".into(), "provincial".into(), "school".into()],
            },
        ),
        "system" => (3, SlotType::Text),
        "rank" => (4, SlotType::Number),
        "on" => (5, SlotType::Date),
        _ => return None,
    };
    Some(Slot { index, ty })
}

fn evidence(id: &str) -> Option<usize> {
    ["certificate", "notice"].iter().position(|e| *e == id)
}

fn values(hours: &str, weeks: &str) -> Vec<Value<'static>> {
    vec![
        Value::Number(d(hours)),
        Value::Number(d(weeks)),
        Value::Enum(1),
        Value::Text("全国志愿服务信息系统"),
        Value::Number(d("2")),
        Value::Missing,
    ]
}

fn eval(text: &str, hours: &str, weeks: &str) -> Result<Decimal, EvalError> {
    CompiledExpr::compile(&expr_of(text), &slots)
        .unwrap()
        .eval(&values(hours, weeks))
}

fn holds(text: &str, vals: &[Value], ev: &[bool]) -> bool {
    CompiledCondition::compile(&condition_of(text), &slots, &evidence)
        .unwrap()
        .eval(vals, ev)
        .unwrap()
}

#[test]
fn pku_formula_is_exact() {
    let f = "4 - 3 * (100 - hours) ^ 2 / 1600";
    assert_eq!(eval(f, "85", "0").unwrap(), d("3.578125"));
    assert_eq!(eval(f, "95", "0").unwrap(), d("3.953125"));
    assert_eq!(eval(f, "60", "0").unwrap(), d("1"));
}

#[test]
fn precedence_and_associativity_follow_the_reference() {
    // `^` is right-associative: 2 ^ 3 ^ 2 = 2 ^ 9.
    assert_eq!(eval("2 ^ 3 ^ 2", "0", "0").unwrap(), d("512"));
    // Negation binds tightest: -hours ^ 2 = (-hours) ^ 2.
    assert_eq!(eval("-hours ^ 2", "3", "0").unwrap(), d("9"));
    assert_eq!(eval("10 - 4 - 3", "0", "0").unwrap(), d("3"));
    assert_eq!(eval("12 / 2 / 3", "0", "0").unwrap(), d("2"));
}

#[test]
fn functions() {
    let f = "min(floor(weeks / 2), 4)";
    assert_eq!(eval(f, "0", "9").unwrap(), d("4"));
    assert_eq!(eval(f, "0", "5").unwrap(), d("2"));
    assert_eq!(eval("ceil(hours / 16)", "17", "0").unwrap(), d("2"));
    assert_eq!(eval("max(hours, weeks, 1)", "0.5", "0.25").unwrap(), d("1"));
    assert_eq!(eval("floor(-hours)", "1.5", "0").unwrap(), d("-2"));
}

#[test]
fn decimal_arithmetic_is_exact() {
    assert_eq!(eval("0.1 + 0.2", "0", "0").unwrap(), d("0.3"));
    assert_eq!(
        eval("1 / 3", "0", "0").unwrap(),
        d("0.3333333333333333333333333333")
    );
}

#[test]
fn powers_take_whole_exponents_and_negative_ones_divide() {
    assert_eq!(eval("hours ^ -2", "2", "0").unwrap(), d("0.25"));
    assert_eq!(eval("hours ^ weeks", "2", "10").unwrap(), d("1024"));
    assert_eq!(eval("hours ^ 0", "0", "0").unwrap(), d("1"));
    assert_eq!(eval("hours ^ weeks", "-1", "1000001").unwrap(), d("-1"));
    assert_eq!(
        eval("hours ^ weeks", "2", "0.5"),
        Err(EvalError::NonIntegerExponent(d("0.5")))
    );
    assert_eq!(
        eval("hours ^ weeks", "1.0001", "5000"),
        Err(EvalError::ExponentTooLarge(d("5000")))
    );
    assert_eq!(eval("hours ^ -1", "0", "0"), Err(EvalError::DivisionByZero));
}

#[test]
fn division_by_zero_and_overflow_are_errors() {
    assert_eq!(
        eval("hours / weeks", "1", "0"),
        Err(EvalError::DivisionByZero)
    );
    assert_eq!(
        eval("hours / (2 - 2)", "1", "0"),
        Err(EvalError::DivisionByZero)
    );
    assert_eq!(
        eval("hours * hours", "79228162514264337593543950335", "0"),
        Err(EvalError::Overflow)
    );
    assert_eq!(eval("hours ^ 200", "10", "0"), Err(EvalError::Overflow));
}

#[test]
fn constants_fold_once() {
    let e = CompiledExpr::compile(&expr_of("min(2 ^ 2, 3) * 1.5"), &slots).unwrap();
    assert_eq!(e.as_constant(), Some(d("4.5")));
    let e = CompiledExpr::compile(&expr_of("hours / 16"), &slots).unwrap();
    assert_eq!(e.as_constant(), None);
}

#[test]
fn a_missing_attribute_is_an_error_in_an_expression() {
    let e = CompiledExpr::compile(&expr_of("hours / 16"), &slots).unwrap();
    let err = e.eval(&[Value::Missing]).unwrap_err();
    assert_eq!(err.to_string(), "attribute `hours` has no value");
    let err = e.eval(&[]).unwrap_err();
    assert_eq!(err.to_string(), "attribute `hours` was not supplied");
    let err = e.eval(&[Value::Text("x")]).unwrap_err();
    assert_eq!(err, EvalError::WrongType("hours".into()));
}

#[test]
fn conditions_on_numbers_enums_text_and_evidence() {
    let v = values("20", "3");
    assert!(holds("hours >= 16", &v, &[]));
    assert!(!holds("hours < 16", &v, &[]));
    assert!(holds("level = provincial", &v, &[]));
    assert!(holds("level != national", &v, &[]));
    assert!(holds("level in (national, provincial)", &v, &[]));
    assert!(!holds("level in (school)", &v, &[]));
    assert!(holds(r#"system = "全国志愿服务信息系统""#, &v, &[]));
    assert!(!holds(r#"system != "全国志愿服务信息系统""#, &v, &[]));
    assert!(holds(r#"system in ("a", "全国志愿服务信息系统")"#, &v, &[]));
    assert!(holds("rank in (1, 2, 3)", &v, &[]));
    assert!(!holds("rank in (1, 3)", &v, &[]));
    assert!(holds("has evidence notice", &v, &[false, true]));
    assert!(!holds("has evidence notice", &v, &[true]));
    assert!(!holds("has evidence certificate", &v, &[]));
}

#[test]
fn and_or_not_combine() {
    let v = values("20", "3");
    assert!(holds(
        "hours > 30 or level = provincial and not (weeks = 4)",
        &v,
        &[]
    ));
    assert!(!holds(
        "(hours > 30 or level = provincial) and weeks = 4",
        &v,
        &[]
    ));
    assert!(holds("not not (hours = 20)", &v, &[]));
}

#[test]
fn a_comparison_with_a_missing_attribute_is_false() {
    let v = vec![Value::Missing; 5];
    assert!(!holds("hours >= 16", &v, &[]));
    assert!(!holds("hours < 16", &v, &[]));
    assert!(!holds("level = national", &v, &[]));
    assert!(!holds("level != national", &v, &[]));
    assert!(!holds("level in (national)", &v, &[]));
    assert!(!holds(r#"system != "x""#, &v, &[]));
    assert!(!holds("rank in (1)", &v, &[]));
    assert!(!holds("hours / weeks > 1", &v, &[]));
    // `not` negates the false comparison.
    assert!(holds("not (level = national)", &v, &[]));
    assert!(holds(
        "hours >= 16 or has evidence notice",
        &v,
        &[false, true]
    ));
}

#[test]
fn arithmetic_errors_in_conditions_are_not_swallowed() {
    let c =
        CompiledCondition::compile(&condition_of("hours / weeks > 1"), &slots, &evidence).unwrap();
    assert_eq!(
        c.eval(&values("1", "0"), &[]),
        Err(EvalError::DivisionByZero)
    );
}

#[test]
fn compile_errors_name_the_attribute() {
    let err = CompiledExpr::compile(&expr_of("hourz / 16"), &slots).unwrap_err();
    assert_eq!(err.to_string(), "unknown attribute `hourz`");
    let err = CompiledExpr::compile(&expr_of("level + 1"), &slots).unwrap_err();
    assert_eq!(
        err.to_string(),
        "attribute `level` cannot be used as a number"
    );
    let err =
        CompiledCondition::compile(&condition_of("level = global"), &slots, &evidence).unwrap_err();
    assert_eq!(err.to_string(), "attribute `level` has no value `global`");
    let err =
        CompiledCondition::compile(&condition_of("has evidence x"), &slots, &evidence).unwrap_err();
    assert_eq!(err, CompileError::UnknownEvidence("x".into()));
    let err = CompiledCondition::compile(&condition_of("on = 1"), &slots, &evidence).unwrap_err();
    assert!(matches!(err, CompileError::WrongType { .. }));
    let err = CompiledCondition::compile(&condition_of("level > national"), &slots, &evidence)
        .unwrap_err();
    assert!(matches!(err, CompileError::BadComparison(_)));
}

#[test]
fn always_and_constant() {
    assert!(CompiledCondition::always().eval(&[], &[]).unwrap());
    assert_eq!(CompiledExpr::constant(d("2")).eval(&[]).unwrap(), d("2"));
}
