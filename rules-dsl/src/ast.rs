//! The syntax tree of a ruleset file.
//!
//! The tree is typed: each block has one field per clause, whatever order the clauses were
//! written in (the formatter writes them back in one canonical order). Every node that a
//! diagnostic or an explanation may point at carries a [`Span`]; every clause carries the
//! [`Comments`] written around it, so that formatting never loses a comment.
//!
//! Equality ignores spans: two trees are equal when they mean the same and carry the same
//! comments, wherever their text stood. This is what `parse(format(tree)) == tree` relies on.

use rust_decimal::Decimal;
use std::fmt;

/// A byte range in the source text of one file.
///
/// INVARIANT: `start <= end <= source.len()`, both on UTF-8 character boundaries.
#[derive(Clone, Copy, Default, Eq, serde::Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span over `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The span as a `usize` range, for slicing the source.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Spans are where a thing was written, not what it means: all spans compare equal.
impl PartialEq for Span {
    fn eq(&self, _other: &Span) -> bool {
        true
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A value with the span it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// An identifier (category, scale, kind, rule, attribute, ... id) with its span.
pub type Ident = Spanned<String>;

/// A string literal, unescaped, with its span.
pub type Text = Spanned<String>;

/// A decimal literal, exactly as written (`4.0` keeps its scale of 1), with its span.
pub type Number = Spanned<Decimal>;

/// The comments written around a clause.
///
/// Line comments (`// ...`) before a clause are its `leading` comments, one written on the
/// same line after it is its `trailing` comment; comments after the last clause of a block,
/// before its closing brace, are the block's `inner_end`. A comment written anywhere else
/// (inside a multi-line expression, say) is attached as a leading comment of the next clause,
/// so no comment is ever dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comments {
    /// Whole-line comments before the clause, each without the `//`.
    pub leading: Vec<String>,
    /// The comment on the clause's last line, without the `//`.
    pub trailing: Option<String>,
    /// Comments before the closing brace of a block, each without the `//`.
    pub inner_end: Vec<String>,
}

impl Comments {
    /// True when no comment is attached.
    pub fn is_empty(&self) -> bool {
        self.leading.is_empty() && self.trailing.is_none() && self.inner_end.is_empty()
    }
}

/// A clause or item: its value, its span, and the comments around it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<T> {
    /// The clause itself.
    pub value: T,
    /// The span of the whole clause.
    pub span: Span,
    /// The comments written around it.
    pub comments: Comments,
}

impl<T> Node<T> {
    /// A node without comments.
    pub fn new(value: T, span: Span) -> Self {
        Node {
            value,
            span,
            comments: Comments::default(),
        }
    }
}

/// A citation of the regulation a rule implements (`source "教务〔2026〕3号 第五条"`).
pub type Citation = Option<Text>;

/// A whole ruleset file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RulesetFile {
    /// The top-level items, in source order.
    pub items: Vec<Node<Item>>,
    /// Comments after the last item.
    pub end_comments: Vec<String>,
}

/// A top-level item.
// A file has tens of items, not millions: boxing the large variants would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `ruleset "id" version "v" { ... }`
    Header(Header),
    /// `categories { ... }`
    Categories(Vec<Node<Category>>),
    /// `scale id "name" bands|formula|text|pass-fail ...`
    Scale(Scale),
    /// `gpa "name" { ... }`
    Gpa(GpaPolicy),
    /// `catalog "name" { course ... }`
    Catalog(Catalog),
    /// `kind id "name" { attribute ... evidence ... }`
    Kind(OutcomeKind),
    /// `institutions { ... }`
    Institutions(Vec<Node<Institution>>),
    /// `convert id "name" { ... }`
    Convert(ConversionRule),
    /// `cap id "name" { ... }`
    Cap(CreditCap),
    /// `review id "name" { ... }`
    Review(ReviewCriteria),
    /// `warning id "name" { ... }`
    Warning(Warning),
    /// `graduation "name" { requires ... }`
    Graduation(Graduation),
    /// `program id "name" { ... }`
    Program(Program),
    /// `certificate id "name" { requires ... }`
    Certificate(Certificate),
}

// ---------------------------------------------------------------------------------------------
// 1. Header

/// The ruleset header: identity, version, validity and rounding.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// The ruleset id, e.g. `demo-university/undergraduate`.
    pub id: Text,
    /// The version, e.g. `2026.1`.
    pub version: Text,
    /// `title "..."` (required).
    pub title: Node<Text>,
    /// `effective 2026-09-01` (required): the first enrolment date this version applies to.
    pub effective: Node<Spanned<Date>>,
    /// `supersedes "2025.1"`.
    pub supersedes: Option<Node<Text>>,
    /// `rounding gpa half-up 2`.
    pub gpa_rounding: Option<Node<Rounding>>,
    /// `rounding credits half-up 1`.
    pub credit_rounding: Option<Node<Rounding>>,
    /// `year starts 09-01`: where per-year caps start the year.
    pub year_start: Option<Node<Spanned<MonthDay>>>,
    /// `source "..."`: the regulation this ruleset implements.
    pub source: Option<Node<Text>>,
}

/// A calendar date, `YYYY-MM-DD`.
///
/// INVARIANT: a valid date of the proleptic Gregorian calendar (checked when parsed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month.
    pub day: u8,
}

/// A day of the year, `MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month (29 February allowed).
    pub day: u8,
}

/// How a reported figure is rounded.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounding {
    /// The rounding mode.
    pub mode: Spanned<RoundingMode>,
    /// Decimal places kept.
    pub places: Spanned<u32>,
}

/// A rounding mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoundingMode {
    /// `half-up`: 3.425 -> 3.43 (ties away from zero).
    HalfUp,
    /// `half-even`: 3.425 -> 3.42 (ties to even, banker's rounding).
    HalfEven,
    /// `truncate`: 3.429 -> 3.42 (towards zero).
    Truncate,
}

// ---------------------------------------------------------------------------------------------
// 2. Categories

/// A credit category (`major "专业教育"`).
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    /// The id used by rules.
    pub id: Ident,
    /// The display name.
    pub name: Text,
    /// The citation.
    pub source: Citation,
}

// ---------------------------------------------------------------------------------------------
// 3. Grade scales

/// A grade scale: maps a score or a grade to grade points.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    /// The id used by the GPA policy.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// The mapping.
    pub body: ScaleBody,
}

/// The four shapes of grade scale.
#[derive(Clone, Debug, PartialEq)]
pub enum ScaleBody {
    /// A table of score bands.
    Bands(BandScale),
    /// Formula cases over the score.
    Formula(FormulaScale),
    /// Text grades (优秀, A-, ...).
    Text(Vec<Node<TextGrade>>),
    /// Pass/fail grades: earn credit (when passed) but stay out of GPA.
    PassFail(PassFailScale),
}

/// The range of scores a numeric scale accepts, both ends included.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreRange {
    /// Lowest score.
    pub min: Number,
    /// Highest score.
    pub max: Number,
}

/// `bands over [0, 100] pass 60 { [90, 100] => 4.0 ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct BandScale {
    /// Scores the scale accepts.
    pub range: ScoreRange,
    /// Scores at or above this pass (earn credit).
    pub pass: Number,
    /// The bands, in source order.
    pub bands: Vec<Node<Band>>,
}

/// One band: `[85, 90) => 3.7`.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Lower bound.
    pub lower: Bound,
    /// Upper bound.
    pub upper: Bound,
    /// Grade points for a score in the band.
    pub points: Number,
}

/// One end of a band.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The score.
    pub value: Number,
    /// True for `[`/`]` (the score itself is inside), false for `(`/`)`.
    pub closed: bool,
}

/// `formula over [0, 100] pass 60 { when score >= 60 => ... else => 0 }`
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaScale {
    /// Scores the scale accepts.
    pub range: ScoreRange,
    /// Scores at or above this pass.
    pub pass: Number,
    /// `when CONDITION => EXPR`, the first that holds applies.
    pub cases: Vec<Node<FormulaCase>>,
    /// `else => EXPR`, when no case holds.
    pub otherwise: Option<Node<Expr>>,
}

/// `when score >= 60 => 4 - 3 * (100 - score) ^ 2 / 1600`
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaCase {
    /// When the case applies.
    pub when: Condition,
    /// The grade points.
    pub points: Expr,
}

/// `"良好" => 3.0`, or `"不及格" => 0 fail`.
#[derive(Clone, Debug, PartialEq)]
pub struct TextGrade {
    /// The grade as written on a transcript.
    pub label: Text,
    /// Its grade points.
    pub points: Number,
    /// True when the grade is a fail (earns no credit, counts as failed credits).
    pub fail: bool,
}

/// `pass-fail { pass "通过", "合格"  fail "不通过" }`
#[derive(Clone, Debug, PartialEq)]
pub struct PassFailScale {
    /// Grades that pass.
    pub pass: Vec<Node<Vec<Text>>>,
    /// Grades that fail.
    pub fail: Vec<Node<Vec<Text>>>,
}

// ---------------------------------------------------------------------------------------------
// 4. GPA policy

/// How the grade point average is computed.
#[derive(Clone, Debug, PartialEq)]
pub struct GpaPolicy {
    /// The display name.
    pub name: Option<Text>,
    /// `scores use pku`: the scale for numeric scores (required).
    pub scores: Node<Ident>,
    /// `grades use five-level, pass-fail`: the scales for text grades.
    pub grades: Option<Node<Vec<Ident>>>,
    /// `weight credits` (default) or `weight equal`.
    pub weight: Option<Node<Spanned<GpaWeight>>>,
    /// `retake best|latest|first|average|all` (required).
    pub retake: Node<Spanned<RetakePolicy>>,
    /// `include categories a, b`: only these categories count (default: all).
    pub include: Option<Node<Vec<Ident>>>,
    /// `exclude ...` clauses, in source order.
    pub exclude: Vec<Node<GpaExclusion>>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// How courses are weighted in the GPA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GpaWeight {
    /// By course credits.
    Credits,
    /// Every course counts the same.
    Equal,
}

/// Which attempts of a retaken course count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetakePolicy {
    /// The attempt with the most grade points.
    Best,
    /// The last attempt.
    Latest,
    /// The first attempt.
    First,
    /// The average of all attempts' grade points, counted once.
    Average,
    /// Every attempt counts as a separate course.
    All,
}

/// What the GPA leaves out.
#[derive(Clone, Debug, PartialEq)]
pub enum GpaExclusion {
    /// `exclude categories a, b`
    Categories(Vec<Ident>),
    /// `exclude courses PE101, PE102`
    Courses(Vec<Ident>),
    /// `exclude tags pe`
    Tags(Vec<Ident>),
    /// `exclude grades "免修", "W"`
    Grades(Vec<Text>),
}

// ---------------------------------------------------------------------------------------------
// 5. Catalog

/// `catalog "name" { course ... }`; a ruleset may have several catalog blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalog {
    /// The display name.
    pub name: Option<Text>,
    /// The courses.
    pub courses: Vec<Node<Course>>,
}

/// `course CS101 "程序设计基础" credits 3 category major tags core, programming term 1`
#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    /// The course code.
    pub code: Ident,
    /// The course name.
    pub name: Text,
    /// Credits (required).
    pub credits: Number,
    /// The category its credits go into (required).
    pub category: Ident,
    /// Tags, for programs and GPA exclusions.
    pub tags: Vec<Ident>,
    /// The term the course is planned in, if any.
    pub term: Option<Spanned<u32>>,
}

/// A non-course outcome kind: `kind competition "学科竞赛" { attribute ... evidence ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeKind {
    /// The kind's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// Its attributes, in source order.
    pub attributes: Vec<Node<Attribute>>,
    /// `evidence ...` clauses: the evidence an application may carry.
    pub evidence: Vec<Node<Vec<EvidenceItem>>>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// `attribute level "级别" one of national "国家级", provincial "省级"`
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// The attribute's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// Its type.
    pub ty: AttributeType,
}

/// The type of an outcome attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeType {
    /// `one of a "A", b "B"`
    Enum(Vec<EnumValue>),
    /// `number [0, 710]`
    Number(Option<ScoreRange>),
    /// `integer [1, 10]`
    Integer(Option<ScoreRange>),
    /// `text`
    Text,
    /// `date`
    Date,
}

/// A value of an enumerated attribute, with its display name.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The value's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
}

/// One evidence field: `certificate "获奖证书"`.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceItem {
    /// The evidence field's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
}

/// `pku "北京大学" partner share 100%`
#[derive(Clone, Debug, PartialEq)]
pub struct Institution {
    /// The institution's id.
    pub id: Ident,
    /// The display name.
    pub name: Text,
    /// What sort of institution it is.
    pub ty: Spanned<InstitutionType>,
    /// The share of credit its outcomes convert at, in percent (100 = full credit).
    pub share: Spanned<Decimal>,
    /// The citation.
    pub source: Citation,
}

/// Where learning outcomes come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InstitutionType {
    /// `in-school`
    InSchool,
    /// `partner`: a partner university.
    Partner,
    /// `university`: another university.
    University,
    /// `mooc-platform`
    MoocPlatform,
    /// `certifying-body`
    CertifyingBody,
    /// `enterprise`
    Enterprise,
    /// `other`
    Other,
}

// ---------------------------------------------------------------------------------------------
// 6. Conversion rules

/// `convert id "name" { kind ... when ... into ... credits ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct ConversionRule {
    /// The rule's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// `kind competition` (required): which outcomes the rule converts.
    pub kind: Node<Ident>,
    /// `when level = national`: which of them.
    pub when: Option<Node<Condition>>,
    /// `from icourse, xuetangx`: only outcomes from these institutions.
    pub from: Option<Node<Vec<Ident>>>,
    /// `into innovation` (required): the category credited.
    pub into: Node<Ident>,
    /// `credits ...` (required): how many credits.
    pub credits: Node<CreditAmount>,
    /// `split by author-rank { 1 => 100% 2 => 50% }`: the share each rank gets.
    pub split: Option<Node<Split>>,
    /// `highest only per name`: the same value of this attribute counts once, its highest.
    pub highest_only_per: Option<Node<Ident>>,
    /// `expires after 4 years`: older outcomes are not recognised.
    pub expires_after_years: Option<Node<Spanned<u32>>>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// How many credits an outcome converts to.
#[derive(Clone, Debug, PartialEq)]
pub enum CreditAmount {
    /// `credits by award { special => 6 first => 4 }`
    Table {
        /// The enumerated attribute the table is keyed by.
        by: Ident,
        /// The rows.
        rows: Vec<Node<TableRow>>,
    },
    /// `credits hours / 16 rounded down to 0.5`, or just `credits 2`.
    Formula {
        /// The credits.
        expr: Expr,
        /// `rounded down to STEP`.
        rounded_down_to: Option<Number>,
    },
}

/// `first => 4`
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    /// The attribute value.
    pub key: Ident,
    /// The credits.
    pub credits: Number,
}

/// `split by author-rank { 1 => 100% 2 => 50% }`
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// The integer attribute giving the rank.
    pub by: Ident,
    /// The rows; ranks not listed get nothing.
    pub rows: Vec<Node<SplitRow>>,
}

/// `2 => 50%`
#[derive(Clone, Debug, PartialEq)]
pub struct SplitRow {
    /// The rank.
    pub rank: Spanned<u32>,
    /// The share, in percent.
    pub share: Spanned<Decimal>,
}

// ---------------------------------------------------------------------------------------------
// 7. Caps

/// `cap id "name" { on category innovation  at most 4 per year }`
#[derive(Clone, Debug, PartialEq)]
pub struct CreditCap {
    /// The cap's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// `on ...` (required): which credits the cap limits.
    pub on: Node<CapScope>,
    /// `at most ...` (required): the limit.
    pub limit: Node<CapLimit>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// Which credits a cap limits.
#[derive(Clone, Debug, PartialEq)]
pub enum CapScope {
    /// `on category innovation`: all credit in the category.
    Category(Ident),
    /// `on kind competition`: credit converted from outcomes of the kind.
    Kind(Ident),
    /// `on rule comp-national`: credit converted by one rule.
    Rule(Ident),
    /// `on conversions`: all credit converted from non-course outcomes.
    Conversions,
}

/// `at most 4 per year`, `at most 35% of required total`.
#[derive(Clone, Debug, PartialEq)]
pub struct CapLimit {
    /// The amount.
    pub amount: CapAmount,
    /// Per year or per term; in total when absent.
    pub period: Option<Spanned<CapPeriod>>,
}

/// How large a cap is.
#[derive(Clone, Debug, PartialEq)]
pub enum CapAmount {
    /// A number of credits.
    Credits(Number),
    /// A share of the credits graduation requires, in total or in one category.
    ShareOfRequired {
        /// Percent.
        percent: Spanned<Decimal>,
        /// `None` for `required total`, else the category.
        category: Option<Ident>,
    },
}

/// The period a cap counts over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CapPeriod {
    /// The academic year (starting at the header's `year starts`, default 09-01).
    Year,
    /// The term.
    Term,
}

// ---------------------------------------------------------------------------------------------
// 8. Review criteria

/// `review id "name" { for competition  require evidence ...  reject when ...  approve when ...
/// otherwise manual because "..." }`
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewCriteria {
    /// The criteria's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// `for competition` (required): the outcome kind reviewed.
    pub kind: Node<Ident>,
    /// `require evidence a, b because "..."`: missing evidence rejects.
    pub require: Vec<Node<RequireEvidence>>,
    /// `reject when ... because "..."`, checked in order after evidence.
    pub reject: Vec<Node<ReviewCase>>,
    /// `approve when ... because "..."`, checked in order after the rejections.
    pub approve: Vec<Node<ReviewCase>>,
    /// `otherwise manual because "..."` (required): what is neither rejected nor approved.
    pub otherwise: Node<Text>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// `require evidence certificate, ranking-list because "..."`
#[derive(Clone, Debug, PartialEq)]
pub struct RequireEvidence {
    /// The evidence fields that must be supplied.
    pub evidence: Vec<Ident>,
    /// Why (shown to the learner when rejected).
    pub because: Text,
}

/// `reject when ... because "..."` or `approve when ... because "..."`
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewCase {
    /// When the case applies.
    pub when: Condition,
    /// Why.
    pub because: Text,
}

// ---------------------------------------------------------------------------------------------
// 9. Warnings

/// `warning id "name" { on credits  after term 2 expect 40  level ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// The warning's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// `on credits|failed-credits|gpa` (required).
    pub on: Node<Spanned<WarningMeasure>>,
    /// `after term N expect C`: credits expected by the end of term N (for `on credits`).
    pub stages: Vec<Node<WarningStage>>,
    /// The levels, from the mildest to the most severe.
    pub levels: Vec<Node<WarningLevel>>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// What a warning watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WarningMeasure {
    /// Earned credits against the staged expectation.
    Credits,
    /// Credits of failed courses.
    FailedCredits,
    /// The GPA.
    Gpa,
}

/// `after term 4 expect 85`
#[derive(Clone, Debug, PartialEq)]
pub struct WarningStage {
    /// The term, from 1.
    pub term: Spanned<u32>,
    /// Credits expected by its end.
    pub expect: Number,
}

/// `level red "红色预警" colour #d0021b below 60% message "..."`
#[derive(Clone, Debug, PartialEq)]
pub struct WarningLevel {
    /// The level's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// `#rrggbb`.
    pub colour: Text,
    /// When the level is reached.
    pub threshold: Spanned<Threshold>,
    /// The message shown to the learner.
    pub message: Text,
}

/// When a warning level is reached.
#[derive(Clone, Debug, PartialEq)]
pub enum Threshold {
    /// `below 90%`: earned credits below this share of the expectation.
    BelowPercent(Decimal),
    /// `below 2.0`: the measure below this number.
    Below(Decimal),
    /// `at least 10`: the measure at or above this number.
    AtLeast(Decimal),
}

// ---------------------------------------------------------------------------------------------
// 10-12. Requirements: graduation, programs, certificates

/// `graduation "name" { requires ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Graduation {
    /// The display name.
    pub name: Option<Text>,
    /// The requirements, in source order.
    pub requirements: Vec<Node<Requirement>>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// `program id "name" { type minor  courses tagged cs-minor  requires ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The program's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// `type minor|double-degree|micro-major` (required).
    pub ty: Node<Spanned<ProgramType>>,
    /// `courses tagged a, b` (required): the courses that count towards it.
    pub courses_tagged: Node<Vec<Ident>>,
    /// The requirements, evaluated over the program's courses.
    pub requirements: Vec<Node<Requirement>>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// What sort of program (复合型人才) it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProgramType {
    /// `minor` (辅修)
    Minor,
    /// `double-degree` (双学位)
    DoubleDegree,
    /// `micro-major` (微专业)
    MicroMajor,
}

/// `certificate id "name" { requires ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Certificate {
    /// The certificate's id.
    pub id: Ident,
    /// The display name.
    pub name: Option<Text>,
    /// The requirements.
    pub requirements: Vec<Node<Requirement>>,
    /// The citation.
    pub source: Option<Node<Text>>,
}

/// `requires [id:] BODY ["label"] [source "..."]`
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// An id, so that an exception can name the requirement.
    pub id: Option<Ident>,
    /// What is required.
    pub body: RequirementBody,
    /// A label shown in explanations.
    pub label: Option<Text>,
    /// The citation.
    pub source: Citation,
}

/// What a requirement asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum RequirementBody {
    /// `total at least 160`
    Total(Number),
    /// `category major at least 90`
    Category(Ident, Number),
    /// `tagged cs-minor at least 20`: credits from courses with the tag.
    Tagged(Ident, Number),
    /// `kind competition at least 2`: credits converted from the kind.
    Kind(Ident, Number),
    /// `count competition where level = national at least 1`: approved outcomes.
    Count {
        /// The outcome kind.
        kind: Ident,
        /// Which of them count.
        filter: Option<Condition>,
        /// How many.
        at_least: Spanned<u32>,
    },
    /// `gpa at least 2.0`
    Gpa(Number),
    /// `failed-credits at most 30`
    FailedCredits(Number),
    /// `courses CS101, CS102`: all of them passed.
    Courses(Vec<Ident>),
    /// `2 of (CS301, CS302, CS303)`: at least N of them passed.
    NOf {
        /// How many.
        n: Spanned<u32>,
        /// Of which.
        courses: Vec<Ident>,
    },
    /// `program minor-cs`: the program's requirements met.
    Program(Ident),
    /// `graduation`: the graduation requirements met.
    Graduation,
}

// ---------------------------------------------------------------------------------------------
// Conditions and expressions

/// A boolean condition over an outcome's attributes (or, in a formula scale, the score).
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `a or b or c` (at least two operands).
    Or(Vec<Condition>),
    /// `a and b and c` (at least two operands).
    And(Vec<Condition>),
    /// `not a`
    Not(Box<Condition>),
    /// `expr OP expr` or `attr = "text"`.
    Compare {
        /// Left side.
        lhs: Expr,
        /// The comparison.
        op: Spanned<CompareOp>,
        /// Right side.
        rhs: Operand,
        /// The whole comparison.
        span: Span,
    },
    /// `level in (national, provincial)`
    In {
        /// The attribute.
        attr: Ident,
        /// The values.
        values: Vec<AttrValue>,
        /// The whole membership test.
        span: Span,
    },
    /// `has evidence certificate`
    HasEvidence(Ident),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// The right side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// An expression; a bare identifier may name an enum value (resolved by the checker).
    Expr(Expr),
    /// A string.
    Text(Text),
}

/// A value in `in (...)`.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    /// An enum value.
    Ident(Ident),
    /// A string.
    Text(Text),
    /// A number.
    Number(Number),
}

/// An arithmetic expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The shapes of arithmetic expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A non-negative literal (`-3` is `Neg(3)`).
    Number(Decimal),
    /// `score`, or an attribute's id.
    Var(String),
    /// `-e`
    Neg(Box<Expr>),
    /// `a OP b`
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `min(a, b, ...)`, `max(...)`, `floor(a)`, `ceil(a)`.
    Call(Function, Vec<Expr>),
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` (integer exponents; right-associative)
    Pow,
}

/// A built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Function {
    /// `min(a, b, ...)`
    Min,
    /// `max(a, b, ...)`
    Max,
    /// `floor(a)`
    Floor,
    /// `ceil(a)`
    Ceil,
}
