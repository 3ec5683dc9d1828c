//! Output repair: what models really return becomes a typed analysis, or a typed error with
//! feedback; no input panics.

use proptest::prelude::*;
use replytrack::analysis::repair::{RepairLimits, extract_json_object, parse_analysis_with};
use replytrack::analysis::{
    OutputError, ParseError, Period, ProductInterest, RefKind, ResponseType, Sentiment, Urgency,
    parse_analysis,
};

const GOOD: &str = r#"{"schema_version":1,"response_type":"high_value","key_insights":["a"],"sentiment":"positive","urgency":"low","opportunity_score":4,"follow_up_needed":true,"product_interest":"interested","action_items":[],"product_usage":null,"monthly_volume":null,"pain_points":[],"references":[],"suggested_labels":[],"recommended_actions":[],"lang":"en"}"#;

#[test]
fn strict_json_is_read() {
    let a = parse_analysis(GOOD).expect("valid");
    assert_eq!(a.response_type, ResponseType::HighValue);
    assert_eq!(a.opportunity_score.get(), 4);
}

#[test]
fn json_in_fences_and_prose_is_found() {
    let fenced = format!("```json\n{GOOD}\n```");
    assert!(parse_analysis(&fenced).is_ok());
    let prose = format!("Sure! Here is my analysis {{of the reply}}: {GOOD} Let me know.");
    assert!(parse_analysis(&prose).is_ok());
}

#[test]
fn sloppy_json_is_repaired() {
    let sloppy = r#"
    // analysis
    {
      response_type: 'Haute Valeur',
      key_insights: ['Veut un devis',],
      sentiment: 'Positivo', /* es */
      urgency: "Alta",
      opportunity_score: "4/5",
      follow_up_needed: "oui",
      product_interest: "Muy interesado",
      action_items: "Envoyer le devis",
      product_usage: "N/A",
      monthly_volume: {raw: "5 000 emails/mois", value: "5 000", unit: "E-mails", period: "mois"},
      pain_points: [],
      references: [{kind: "Facture", id: "n° FA-2291"}],
      suggested_labels: ["Pricing Request"],
      recommended_actions: [],
      lang: "Français",
    }"#;
    let a = parse_analysis(sloppy).expect("repaired");
    assert_eq!(a.response_type, ResponseType::HighValue);
    assert_eq!(a.sentiment, Sentiment::Positive);
    assert_eq!(a.urgency, Urgency::High);
    assert_eq!(a.opportunity_score.get(), 4);
    assert!(a.follow_up_needed);
    assert_eq!(a.product_interest, ProductInterest::VeryInterested);
    assert_eq!(a.action_items, vec!["Envoyer le devis".to_string()]);
    assert_eq!(a.product_usage, None);
    let v = a.monthly_volume.expect("volume");
    assert_eq!(
        (v.value, v.unit.as_str(), v.period),
        (5000, "emails", Period::Month)
    );
    assert_eq!(a.references.len(), 1);
    assert_eq!(a.references[0].kind, RefKind::Invoice);
    assert_eq!(a.references[0].id, "FA-2291");
    assert_eq!(a.suggested_labels, vec!["pricing-request".to_string()]);
    assert_eq!(a.lang, "fr");
}

#[test]
fn labels_in_portuguese_and_scores_in_words() {
    let s = GOOD
        .replace("\"high_value\"", "\"Precisa Tratamento\"")
        .replace("\"opportunity_score\":4", "\"opportunity_score\":\"four\"")
        .replace("\"follow_up_needed\":true", "\"follow_up_needed\":\"não\"");
    let a = parse_analysis(&s).expect("repaired");
    assert_eq!(a.response_type, ResponseType::NeedsAttention);
    assert_eq!(a.opportunity_score.get(), 4);
    assert!(!a.follow_up_needed);
    let s = GOOD.replace("\"opportunity_score\":4", "\"opportunity_score\":4.0");
    assert!(parse_analysis(&s).is_ok());
    let s = GOOD.replace("\"opportunity_score\":4", "\"opportunity_score\":\"8/10\"");
    assert_eq!(parse_analysis(&s).map(|a| a.opportunity_score.get()), Ok(4));
}

#[test]
fn invalid_fields_give_a_typed_error_and_feedback() {
    let s = GOOD
        .replace("\"positive\"", "\"happyish\"")
        .replace("\"opportunity_score\":4", "\"opportunity_score\":9")
        .replace(",\"lang\":\"en\"", "");
    let err = parse_analysis(&s).expect_err("invalid");
    let OutputError::Invalid(errors) = &err else {
        panic!("{err:?}");
    };
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["sentiment", "opportunity_score", "lang"]);
    let feedback = err.feedback();
    assert!(
        feedback.contains("\"happyish\" is not one of positive, neutral"),
        "{feedback}"
    );
    assert!(
        feedback.contains("opportunity_score: 9 is not an integer from 1 to 5"),
        "{feedback}"
    );
    assert!(feedback.contains("lang: missing"), "{feedback}");
}

#[test]
fn truncated_output_keeps_what_was_finished() {
    let cut = &GOOD[..GOOD.find(",\"lang\"").unwrap_or(GOOD.len())];
    // lang is missing, so this fails validation, but it is read.
    assert!(matches!(parse_analysis(cut), Err(OutputError::Invalid(_))));
}

#[test]
fn no_object_and_oversized_output_are_parse_errors() {
    assert_eq!(
        parse_analysis("I cannot do that."),
        Err(OutputError::Parse(ParseError::NoObject))
    );
    assert_eq!(
        parse_analysis("   "),
        Err(OutputError::Parse(ParseError::Empty))
    );
    let limits = RepairLimits {
        max_input_bytes: 10,
        max_depth: 32,
    };
    assert!(matches!(
        parse_analysis_with(GOOD, limits),
        Err(OutputError::Parse(ParseError::TooLarge { .. }))
    ));
}

#[test]
fn pathological_inputs_finish() {
    // Many unbalanced braces and quotes: each scan is linear.
    let s = "{\"a\": ".repeat(20_000);
    let _ = extract_json_object(&s, RepairLimits::default());
    let s = "{\"a\": ".to_string() + &"[".repeat(40_000) + &"]".repeat(40_000) + "}";
    assert!(matches!(
        extract_json_object(&s, RepairLimits::default()),
        Err(ParseError::TooDeep { .. })
    ));
    let s = "} { ' \" ```".repeat(10_000);
    let _ = extract_json_object(&s, RepairLimits::default());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn repair_never_panics_on_any_text(s in ".{0,400}") {
        let _ = parse_analysis(&s);
    }

    #[test]
    fn repair_never_panics_on_json_like_text(s in r#"[{}\[\]"':,/*a-z0-9 \n\\`]{0,300}"#) {
        let _ = parse_analysis(&s);
    }

    #[test]
    fn repair_never_panics_on_mangled_good_output(cut in 0usize..600, junk in ".{0,20}") {
        let mut s: String = GOOD.chars().take(cut).collect();
        s.push_str(&junk);
        let _ = parse_analysis(&s);
    }
}
