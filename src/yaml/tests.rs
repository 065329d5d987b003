use super::*;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct T {
    title: String,
    date: String,
}

fn errs<X: DeserializeOwned + std::fmt::Debug>(text: &str) -> Vec<Diagnostic> {
    parse::<X>(Path::new("x.yaml"), text, text, 1).unwrap_err()
}

#[test]
fn unknown_field_has_hint_and_position() {
    let e = errs::<T>("title: a\ndate: b\ntittle: b\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].message, "unknown field `tittle`");
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `title`?"));
    assert_eq!(e[0].line, Some(3));
}

#[test]
fn offset_for_front_matter() {
    let file = "---\ntitle: a\ndate: b\nbogus: 1\n---\n";
    let e = parse::<T>(Path::new("x.md"), file, "title: a\ndate: b\nbogus: 1\n", 2).unwrap_err();
    assert_eq!(e[0].line, Some(4));
    assert_eq!(e[0].column, Some(1));
    assert_eq!(e[0].snippet.as_deref(), Some("bogus: 1"));
}

#[test]
fn locates_list_values() {
    let t = "title: a\npolicies:\n  - one\n  - two\n";
    assert_eq!(locate_value(t, "policies", "two", 1), Some((4, 5)));
    assert_eq!(locate_key(t, "title", 1), Some((1, 1)));
    assert_eq!(
        locate_path("period:\n  from: x\n", &["period", "from"], 1),
        Some((2, 9))
    );
}

#[test]
fn every_error_of_a_file() {
    let e = errs::<T>("tittle: a\ndat: b\nsorce: c\n");
    let msgs: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "unknown field `tittle`",
            "unknown field `dat`",
            "unknown field `sorce`"
        ],
        "{e:?}"
    );
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Entry {
    rank: u32,
    name: String,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct R {
    title: String,
    entries: Vec<Entry>,
}

#[test]
fn nested_errors_are_placed_and_worded() {
    let e = errs::<R>(
        "title: t\nentries:\n  - {rank: \"一\", name: a}\n  - rank: 99999999999\n    name: b\n",
    );
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].message.contains("expected a whole number"),
        "{}",
        e[0].message
    );
    assert!(!e[0].message.contains("u32"));
    assert_eq!((e[0].line, e[0].column), (Some(3), Some(12)));
    assert!(e[1].message.contains("too large"), "{}", e[1].message);
    assert_eq!(e[1].line, Some(4));
}

#[test]
fn duplicate_key_points_at_the_duplicate() {
    let e = errs::<T>("title: a\ndate: b\ntitle: c\n");
    assert_eq!(e[0].message, "duplicate field `title`");
    assert_eq!(e[0].line, Some(3));
    assert!(e[0].hint.as_deref().unwrap_or("").contains("line 1"));
}

#[test]
fn tab_has_a_hint() {
    let e = errs::<T>("title: a\n\tdate: b\n");
    eprintln!("{e:?}");
    assert!(e[0].message.contains("tab"), "{e:?}");
    assert_eq!(e[0].line, Some(2));
    assert_eq!(
        e[0].hint.as_deref(),
        Some("YAML forbids tabs for indentation: use spaces")
    );
}

#[test]
fn null_and_blank_text_are_errors() {
    for (text, line) in [
        ("title: ~\ndate: b\n", 1),
        ("title: a\ndate: \"  \"\n", 2),
        ("title: null\ndate: b\n", 1),
    ] {
        let e = errs::<T>(text);
        assert!(e[0].message.contains("is empty"), "{e:?}");
        assert_eq!(e[0].line, Some(line));
    }
    // Quoted, they are text.
    assert!(parse::<T>(
        Path::new("x"),
        "title: \"~\"\ndate: b\n",
        "title: \"~\"\ndate: b\n",
        1
    )
    .is_ok());
}

#[test]
fn control_characters_are_refused_at_their_column() {
    let e = errs::<T>("title: a\u{1}b\ndate: b\n");
    assert!(e[0].message.contains("control character \\u{1}"), "{e:?}");
    assert_eq!((e[0].line, e[0].column), (Some(1), Some(9)));
}

#[test]
fn missing_fields_all_reported() {
    let e = errs::<crate::model::ArticleMeta>("other: 1\n");
    assert_eq!(e.len(), 4, "{e:?}");
}

#[test]
fn alias_bombs_are_bounded() {
    let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..8 {
        s.push_str(&format!(
            "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
            p = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            }
        ));
    }
    s.push_str("title: *b7\ndate: x\n");
    let start = std::time::Instant::now();
    let _ = parse::<serde_yaml::Value>(Path::new("x"), &s, &s, 1);
    assert!(start.elapsed().as_secs() < 5);
}
