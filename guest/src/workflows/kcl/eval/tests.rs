//! Evaluator unit tests: one source text in, the first finding out.

use super::super::imports::load_workflow;
use super::super::text_source::TextSource;
use super::evaluate;

/// The code and 1-based line of the first finding, if any.
fn first(src: &'static str) -> Option<(&'static str, usize, String)> {
    let wf = load_workflow(&TextSource::new("main.k", src), "main.k", src.to_string());
    assert!(wf.files[0].syntax.is_empty(), "syntax errors in test input: {:?}", wf.files[0].syntax);
    let found = evaluate(&wf);
    found.first().map(|(_, d, _)| (d.code, src[..d.start as usize].matches('\n').count() + 1, d.message.clone()))
}

#[test]
fn valid_programs_have_no_findings() {
    for src in [
        "a = 1 + 2\nb = a * 2\nassert b == 6\n",
        "schema A:\n    x: int\n    y: str = \"d\"\n    check:\n        x > 0, \"positive\"\na = A {x = 1}\nassert a.y == \"d\"\n",
        "schema B:\n    x: float\nb = B {x = 1}\nassert typeof(b.x) == \"float\"\n",
        "l = [x * 2 for x in [1, 2, 3] if x > 1]\nassert l == [4, 6]\n",
        "d = {a = 1} | {b = 2}\nassert len(d) == 2\n",
        "f = lambda x: int, y: int = 2 -> int { x + y }\nassert f(1) == 3\n",
        "s = \"v${1 + 1}\"\nassert s == \"v2\"\nt = \"{} {}\".format(1, \"a\")\nassert t == \"1 a\"\n",
        "import regex\nassert regex.match(\"abc\", \"a.c\")\n",
        "schema M:\n    [name: str]: int\nm = M {a = 1, b = 2}\n",
        "x = 2Gi\ny = int(x)\nassert y == 2147483648\n",
        "_a = 1\n_a = 2\n",
        "schema P:\n    ops: [O]\nschema O:\n    id: str\np = P {ops = [{id = \"a\"}]}\nassert p.ops[0].id == \"a\"\n",
    ] {
        assert_eq!(first(src), None, "{src}");
    }
}

#[test]
fn errors_are_found_on_kcl_lines() {
    let cases: &[(&'static str, &str, usize)] = &[
        ("schema A:\n    x: int\n    check:\n        x > 0\na = A {x = -1}\n", super::error::CHECK_FAILED, 5),
        ("assert 1 > 2, \"nope\"\n", super::error::ASSERT_FAILED, 1),
        ("schema A:\n    x: int\na = A {x = \"s\"}\n", super::error::TYPE_MISMATCH, 3),
        ("schema A:\n    x: int\na = A {y = 1, x = 1}\n", super::error::UNKNOWN_MEMBER, 3),
        ("schema A:\n    x: int\na = A {}\n", super::error::REQUIRED_ATTRIBUTE, 3),
        ("schema A:\n    x: int = \"a\"\n", super::error::TYPE_MISMATCH, 2),
        ("a = [1, 2][5]\n", super::error::INDEX_OUT_OF_RANGE, 1),
        ("a = 1 / 0\n", super::error::DIVISION_BY_ZERO, 1),
        ("a = \"a\" + 1\n", super::error::OPERAND_TYPES, 1),
        ("f = lambda x: int -> int { x + 1 }\nb = f(1, 2)\n", super::error::ARGUMENT_COUNT, 2),
        ("f = lambda x: int -> int { x + 1 }\nb = f(\"a\")\n", super::error::TYPE_MISMATCH, 2),
        ("x: int = 1.5\n", super::error::TYPE_MISMATCH, 1),
        ("l: [int] = [1, \"a\"]\n", super::error::TYPE_MISMATCH, 1),
        (
            "schema A:\n    action: \"create\" | \"delete\"\na = A {action = \"destroy\"}\n",
            super::error::TYPE_MISMATCH,
            3,
        ),
        ("c = {x: 1, x: 2}\n", super::error::CONFLICTING_VALUES, 1),
        ("schema A:\n    x: int\nschema A:\n    y: int\n", super::error::SCHEMA_DEFINITION, 3),
        ("protocol Foo:\n    x: int\n", super::error::SCHEMA_DEFINITION, 1),
        ("schema A:\n    x: int\na = A {x = 1}\nb = a.y\n", super::error::NO_SUCH_ATTRIBUTE, 4),
        ("@deprecated\nschema A:\n    x: int\na = A {x = 1}\n", super::error::DEPRECATED, 4),
        ("rule R:\n    1 > 2\nR()\n", super::error::CHECK_FAILED, 2),
        ("f = lambda n { f(n + 1) }\nx = f(0)\n", super::error::RECURSION_LIMIT, 1),
        ("schema Base:\n    name: str\nschema Child(Base):\n    name: int\n", super::error::TYPE_MISMATCH, 4),
    ];
    for (src, code, line) in cases {
        let got = first(src);
        assert_eq!(got.as_ref().map(|(c, l, _)| (*c, *l)), Some((*code, *line)), "{src}\n{got:?}");
    }
}

/// Code and line of the first error of `validate(.., strict = true)`:
/// the resolver-like name checks as well as the evaluation.
fn strict_first(src: &'static str) -> Option<(String, u32)> {
    let report = super::super::validate(&TextSource::new("main.k", src), "main.k", true).unwrap();
    report.errors.first().map(|d| (d.code.to_string(), d.span.line))
}

/// Each case was checked against kcl-lib 0.13.2 (`tests/kcl/README.md`).
#[test]
fn kcl_accepts_these_too() {
    for src in [
        // `\${...}` is literal text (class 1), also after `\\`.
        "a = \"\\${name}\"\nassert a == \"$\" + \"{name}\"\nx = 1\nb = \"\\\\${x}\"\nassert b == \"$\" + \"{x}\"\n",
        // Bare expressions that unify (class 2): equal values, `=` keys,
        // private globals, calls, and the first scalar a schema drops.
        "\"a\"\n\"a\"\n",
        "{a = 1}\n{a = 2}\n",
        "_a = 1\n3\n",
        "a = 1\nprint(a)\n",
        "3\nschema A:\n    x: int = 1\nA {}\n",
        "a = {x = 1}\na\n",
        "a = 1\n{a = 1.0}\n",
        // Right argument counts (class 3) and function types (class 4).
        "a = \"a,b\".split(\",\", 1)\nb = \"a\".split()\nc = \"{}{}\".format(1, 2)\n",
        "f: (int) -> int = lambda x { x }\ng: (int) -> float = lambda x: int -> int { x }\n",
        // `*` of None and dicts (class 5); units where they fit (class 6).
        "a = [*None, *{k = 1}, *[1]]\n",
        "a: any = 1Ki\nb: int = int(1Ki)\n",
        // Casts that fit (class 8).
        "n = 1 as int\ns = \"a\" as str\n",
    ] {
        assert_eq!(strict_first(src), None, "{src}");
    }
}

#[test]
fn kcl_rejects_these_on_the_same_line() {
    use super::error::*;
    let cases: &[(&'static str, &str, u32)] = &[
        // Class 2: reported at the last statement kcl ran.
        ("a = 1\n3\nb = 2\n", CONFLICTING_VALUES, 3),
        ("\"hello\" \"world\"\n", CONFLICTING_VALUES, 1),
        ("f = lambda {\n    y = 1\n    y\n}\n3\nb = f()\n", CONFLICTING_VALUES, 3),
        ("a = 1\n{a = 2}\n", CONFLICTING_VALUES, 2),
        // Class 3: builtin and string-method argument counts and types.
        ("a = \"a\".upper(1) if False else 1\n", ARGUMENT_COUNT, 1),
        ("x = 1\na = \"a\".replace(\"a\")\n", ARGUMENT_COUNT, 2),
        ("a = len()\n", ARGUMENT_COUNT, 1),
        ("a = \"a,b\".split(\",\", \",\")\n", TYPE_MISMATCH, 1),
        // Class 4: a lambda of another function type.
        ("x = 1\nf: (int) -> int = lambda x: str -> str { x }\n", TYPE_MISMATCH, 2),
        // Class 5: `*` of a scalar.
        ("x = 1\na = [*x]\n", OPERAND_TYPES, 2),
        // Class 6: a unit literal for `int`, `float`, `int | float`.
        ("schema A:\n    x: int\na = A {x = 16Gi}\n", TYPE_MISMATCH, 3),
        ("f = lambda x: float { x }\na = f(1Ki)\n", TYPE_MISMATCH, 2),
        ("a: int | float = 2Gi\n", TYPE_MISMATCH, 1),
        // Class 8: casts, selectors on literals, `+=` of a non-list.
        ("a = 1 as str\n", TYPE_MISMATCH, 1),
        ("a = [1] as [int]\n", TYPE_MISMATCH, 1),
        ("a = [1, 2].index(1) if False else 0\n", NO_SUCH_ATTRIBUTE, 1),
        ("a = len(\"x\").__str__ if False else 1\n", NO_SUCH_ATTRIBUTE, 1),
        ("a = {x += \"a\"}\n", OPERAND_TYPES, 1),
    ];
    for (src, code, line) in cases {
        let got = strict_first(src);
        assert_eq!(got, Some((code.to_string(), *line)), "{src}");
    }
    // Class 7: names kcl resolves statically, taken branch or not.
    for (src, line) in [
        ("a = 1 if True else y\n", 1),
        ("c = {x}\n", 1),
        ("c = {b = a, a = 1}\n", 1),
        ("f = lambda x -> floatt { x }\n", 1),
        ("mixin M:\n    a: int = 1\nschema S:\n    mixin [M]\n    name: Strng\n", 5),
    ] {
        assert_eq!(strict_first(src), Some(("E3001".to_string(), line)), "{src}");
    }
}

/// Message and line of the first error of `validate(.., strict = true)`.
fn strict_message(src: &'static str) -> Option<(String, u32)> {
    let report = super::super::validate(&TextSource::new("main.k", src), "main.k", true).unwrap();
    report.errors.first().map(|d| (d.message.clone(), d.span.line))
}

/// kcl's resolver types a top-level name bound once to a value of a
/// known type, and rejects a selector it does not have even in a branch
/// never taken (checked against kcl-lib 0.13.2).
#[test]
fn kcl_types_top_level_names() {
    let cases: &[(&'static str, &str, u32)] = &[
        // `tests/kcl/valid/073_unary_ops.k`, shortened.
        ("a = -1\ng = -a.bit_length() if False else 0\n", "attribute 'bit_length' not found in 'int'", 2),
        (
            "a = 1\nb = -a\nc = not b\nd = [c, 2]\ne = d.foo if False else 0\n",
            "attribute 'foo' not found in '[int]'",
            5,
        ),
        ("a = 1 + 1.5\nb = a.foo if False else 0\n", "attribute 'foo' not found in 'float'", 2),
        ("a = 1 if True else 2.0\nb = (a).foo if False else 0\n", "attribute 'foo' not found in 'float'", 2),
        ("a = 1\nb = a?.foo if False else 0\n", "attribute 'foo' not found in 'int'", 2),
        ("a = [1, \"s\"]\nb = a.foo if False else 0\n", "attribute 'foo' not found in '[int | str]'", 2),
        ("a: int = 1\nschema S:\n    x: int = 1\n    y = a.foo\n", "attribute 'foo' not found in 'int'", 4),
        ("n = len([1])\nb = n[0] if False else 0\n", "'int' object is not subscriptable", 2),
        ("a = \"x\"\nb = a[\"y\"] if False else 1\n", "expected int, got str(y)", 2),
        ("a = \"x\"\nb = a.upper(1) if False else 1\n", "\"a.upper\" takes 0 positional argument but 1 were given", 2),
    ];
    for (src, message, line) in cases {
        assert_eq!(strict_message(src), Some((message.to_string(), *line)), "{src}");
    }
    // Accepted by kcl too: the name is bound again (a lambda parameter,
    // a comprehension variable, a schema attribute, a config key), used
    // before its binding, typed `any`, or of a type with the attribute.
    for src in [
        "a = 1\nf = lambda a { a.foo }\n",
        "a = 1\nb = [a.foo for a in [{}]]\n",
        "a = 1\nschema S:\n    a: {str:} = {}\n    b = a.foo\n",
        "a = 1\nb = {a = {}, x = a.foo} if False else 0\n",
        "a = 1\nb = {a.foo = 1}\n",
        "f = lambda { a.foo }\na = 1\n",
        "a: any = 1\nb = a.foo if False else 0\n",
        "a = {k = 1}\nb = a.k\n",
        "a = \"s\"\nb = a.upper().lower()\nc = a.replace(\"s\", \"t\")\n",
    ] {
        assert_eq!(strict_message(src), None, "{src}");
    }
}
