use std::collections::HashMap;

use crate::context::Context;
use crate::tera::Tera;
use serde_derive::Serialize;

#[derive(Serialize)]
struct Test {
    a: String,
    b: String,
    c: Vec<String>,
}

#[test]
fn var_access_by_square_brackets() {
    let mut context = Context::new();
    context.insert(
        "var",
        &Test { a: "hi".into(), b: "i_am_actually_b".into(), c: vec!["fred".into()] },
    );
    context.insert("zero", &0);
    context.insert("a", "b");

    let mut map = HashMap::new();
    map.insert("true", "yes");
    map.insert("false", "no");
    map.insert("with space", "works");
    map.insert("with/slash", "works");
    let mut deep_map = HashMap::new();
    deep_map.insert("inner_map", &map);
    context.insert("map", &map);
    context.insert("deep_map", &deep_map);
    context.insert("bool_vec", &vec!["true", "false"]);

    let inputs = vec![
        ("{{var.a}}", "hi"),
        ("{{var['a']}}", "hi"),
        ("{{var[\"a\"]}}", "hi"),
        ("{{var['c'][0]}}", "fred"),
        ("{{var['c'][zero]}}", "fred"),
        ("{{var[a]}}", "i_am_actually_b"),
        ("{{map['with space']}}", "works"),
        ("{{map['with/slash']}}", "works"),
        ("{{deep_map['inner_map'][bool_vec[zero]]}}", "yes"),
    ];

    for (input, expected) in inputs {
        let result = Tera::one_off(input, &context, true).unwrap();
        println!("{:?} -> {:?} = {:?}", input, expected, result);
        assert_eq!(result, expected);
    }
}

#[test]
fn var_access_by_square_brackets_errors() {
    let mut context = Context::new();
    context.insert("var", &Test { a: "hi".into(), b: "there".into(), c: vec![] });
    let t = Tera::one_off("{{var[csd]}}", &context, true);
    assert!(t.is_err(), "Access of csd should be impossible");
}

// https://github.com/Keats/tera/issues/334
#[test]
fn var_access_by_loop_index() {
    let context = Context::new();
    let res = Tera::one_off(
        r#"
{% set ics = ["fa-rocket","fa-paper-plane","fa-diamond","fa-signal"] %}
{% for a in ics %}
{{ ics[loop.index0] }}
{% endfor %}
    "#,
        &context,
        true,
    );
    assert!(res.is_ok());
}

// https://github.com/Keats/tera/issues/334
#[test]
fn var_access_by_loop_index_with_set() {
    let context = Context::new();
    let res = Tera::one_off(
        r#"
{% set ics = ["fa-rocket","fa-paper-plane","fa-diamond","fa-signal"] %}
{% for a in ics %}
    {% set i = loop.index - 1 %}
    {{ ics[i] }}
{% endfor %}
    "#,
        &context,
        true,
    );
    assert!(res.is_ok());
}

// https://github.com/Keats/tera/issues/754
#[test]
fn can_get_value_if_key_contains_period() {
    let mut context = Context::new();
    context.insert("name", "Mt. Robson Provincial Park");
    let mut map = HashMap::new();
    map.insert("Mt. Robson Provincial Park".to_string(), "hello".to_string());
    context.insert("tag_info", &map);

    let res = Tera::one_off(r#"{{ tag_info[name] }}"#, &context, true);
    assert!(res.is_ok());
    let res = res.unwrap();
    assert_eq!(res, "hello");
}

// Patched (see PATCHES.md): keys with `/` and `~`, through the bracket rewriting and the
// unescaping of pointer segments.
#[test]
fn var_access_to_keys_with_slash_and_tilde() {
    let mut context = Context::new();
    let mut map = HashMap::new();
    map.insert("a/b", "slash");
    map.insert("a~b", "tilde");
    map.insert("a~1b", "escaped slash");
    map.insert("x", "plain");
    context.insert("map", &map);
    context.insert("nested", &vec![map.clone()]);
    context.insert("slash_key", "a/b");
    context.insert("tilde_key", "a~b");
    context.insert("a/b", &map);

    let inputs = vec![
        ("{{ map.x }}", "plain"),
        ("{{ map['a/b'] }}", "slash"),
        ("{{ map[\"a/b\"] }}", "slash"),
        ("{{ map[slash_key] }}", "slash"),
        ("{{ nested[0]['a/b'] }}", "slash"),
        ("{{ nested[0][slash_key] }}", "slash"),
        ("{{ map['a~0b'] }}", "tilde"),
        ("{{ map[tilde_key] }}", "tilde"),
        ("{{ map['a~01b'] }}", "escaped slash"),
        // `~1` written in a template is read as an escaped `/`, as in 1.20.1
        ("{{ map['a~1b'] }}", "slash"),
    ];

    for (input, expected) in inputs {
        let result = Tera::one_off(input, &context, true).unwrap();
        assert_eq!(result, expected, "{}", input);
    }
}
