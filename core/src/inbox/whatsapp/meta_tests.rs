use super::*;
use proptest::prelude::*;

fn wrap(value: &str) -> Vec<u8> {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102","changes":[{{"field":"messages","value":{value}}}]}}]}}"#
    )
    .into_bytes()
}

fn one_message(message: &str) -> Vec<u8> {
    wrap(&format!(
        r#"{{"messaging_product":"whatsapp",
            "metadata":{{"display_phone_number":"15550001111","phone_number_id":"106"}},
            "contacts":[{{"profile":{{"name":"Kerry Fisher"}},"wa_id":"16315551234"}}],
            "messages":[{message}]}}"#
    ))
}

#[test]
fn a_text_message_gives_text_contact_name_phone_and_time() {
    let body = one_message(
        r#"{"from":"16315551234","id":"wamid.T1","timestamp":"1772830800","type":"text",
            "text":{"body":"Is the offer still valid?"}}"#,
    );
    let events = parse_meta_webhook(&body).unwrap();
    let m = &events.messages[0];
    assert_eq!(m.id, "wamid.T1");
    assert_eq!(m.from.phone, "+16315551234");
    assert_eq!(m.from.name.as_deref(), Some("Kerry Fisher"));
    assert_eq!(m.to.as_deref(), Some("+15550001111"));
    assert_eq!(m.text, "Is the offer still valid?");
    assert_eq!(m.sent_at, DateTime::from_timestamp(1_772_830_800, 0));
    assert!(events.statuses.is_empty());
}

#[test]
fn an_image_with_a_caption_becomes_text_and_an_attachment() {
    let body = one_message(
        r#"{"from":"16315551234","id":"wamid.I1","timestamp":"1772830800","type":"image",
            "image":{"caption":"the broken part","mime_type":"image/jpeg","sha256":"Zm9v","id":"9001"}}"#,
    );
    let m = parse_meta_webhook(&body).unwrap().messages.remove(0);
    assert_eq!(m.text, "the broken part");
    assert_eq!(
        m.attachments,
        vec![WhatsAppMedia {
            kind: MediaKind::Image,
            id: Some("9001".into()),
            url: None,
            mime_type: "image/jpeg".into(),
            sha256: Some("Zm9v".into()),
            filename: None,
        }]
    );
}

#[test]
fn documents_audio_and_video_keep_their_file_details() {
    for (kind, expected) in [
        ("document", MediaKind::Document),
        ("audio", MediaKind::Audio),
        ("video", MediaKind::Video),
    ] {
        let body = one_message(&format!(
            r#"{{"from":"16315551234","id":"wamid.D","type":"{kind}",
                "{kind}":{{"filename":"quote.pdf","mime_type":"Application/PDF","sha256":"h","id":"77"}}}}"#
        ));
        let m = parse_meta_webhook(&body).unwrap().messages.remove(0);
        let a = &m.attachments[0];
        assert_eq!(a.kind, expected);
        assert_eq!(a.mime_type, "application/pdf");
        assert_eq!(a.filename.as_deref(), Some("quote.pdf"));
    }
}

#[test]
fn a_location_is_described_in_the_text() {
    let body = one_message(
        r#"{"from":"16315551234","id":"wamid.L","type":"location",
            "location":{"latitude":48.8584,"longitude":2.2945,"name":"Tour Eiffel","address":"Paris"}}"#,
    );
    let m = parse_meta_webhook(&body).unwrap().messages.remove(0);
    assert_eq!(m.text, "Location: Tour Eiffel, Paris (48.8584, 2.2945)");
    assert_eq!(m.location.map(|l| l.latitude), Some(48.8584));
}

#[test]
fn status_callbacks_map_to_delivery_statuses_with_failures() {
    let body = wrap(
        r#"{"messaging_product":"whatsapp","statuses":[
            {"id":"wamid.O1","status":"delivered","timestamp":"1772830900","recipient_id":"16315551234"},
            {"id":"wamid.O2","status":"failed","timestamp":"1772830901","recipient_id":"16315551234",
             "errors":[{"code":131047,"title":"Re-engagement message"}]}]}"#,
    );
    let events = parse_meta_webhook(&body).unwrap();
    assert_eq!(events.statuses[0].status, DeliveryStatus::Delivered);
    assert_eq!(
        events.statuses[0].recipient.as_deref(),
        Some("+16315551234")
    );
    let failed = &events.statuses[1];
    assert_eq!(failed.status, DeliveryStatus::Failed);
    assert_eq!(
        failed.failure,
        Some(ProviderFailure {
            code: Some("131047".into()),
            message: Some("Re-engagement message".into()),
        })
    );
}

#[test]
fn errors_name_the_field() {
    let no_from = one_message(r#"{"id":"wamid.X","type":"text","text":{"body":"hi"}}"#);
    assert_eq!(
        parse_meta_webhook(&no_from).unwrap_err().to_string(),
        "WhatsApp payload has no `entry[0].changes[0].value.messages[0].from`"
    );
    let bad_status = wrap(r#"{"statuses":[{"id":"w","status":"exploded"}]}"#);
    let err = parse_meta_webhook(&bad_status).unwrap_err();
    assert!(
        err.to_string()
            .contains("`entry[0].changes[0].value.statuses[0].status` is invalid")
    );
    let bad_image = one_message(r#"{"from":"1631555","id":"w","type":"image","image":{}}"#);
    assert!(matches!(
        parse_meta_webhook(&bad_image),
        Err(WhatsAppError::MissingField { field })
            if field == "entry[0].changes[0].value.messages[0].image.id"
    ));
    let wrong_object = br#"{"object":"page","entry":[]}"#;
    assert!(matches!(
        parse_meta_webhook(wrong_object),
        Err(WhatsAppError::BadField { ref field, .. }) if field == "object"
    ));
    assert!(matches!(
        parse_meta_webhook(b"not json"),
        Err(WhatsAppError::Json(_))
    ));
}

#[test]
fn other_fields_and_unknown_message_types_are_not_errors() {
    let body = br#"{"entry":[{"changes":[{"field":"account_update","value":{"x":1}}]}]}"#;
    assert_eq!(parse_meta_webhook(body).unwrap(), WhatsAppEvents::default());
    let reaction = one_message(
        r#"{"from":"16315551234","id":"wamid.R","type":"reaction","reaction":{"emoji":"👍"}}"#,
    );
    let m = parse_meta_webhook(&reaction).unwrap().messages.remove(0);
    assert_eq!((m.message_type.as_str(), m.text.as_str()), ("reaction", ""));
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_meta_webhook(&body);
    }

    #[test]
    fn arbitrary_values_in_a_valid_shape_never_panic(
        from in "[0-9+a-z ]{0,20}",
        kind in "(text|image|document|audio|video|location|sticker|zz)",
        field in "(body|caption|id|mime_type|latitude|longitude|filename)",
        value in prop_oneof![Just("1".to_string()), Just("\"x\"".to_string()),
                              Just("null".to_string()), Just("[]".to_string()), Just("{}".to_string())],
        ts in prop_oneof![Just("\"1\"".to_string()), Just("-99999999999999".to_string()),
                           Just("\"zz\"".to_string()), Just("1e300".to_string())],
    ) {
        let body = one_message(&format!(
            r#"{{"from":"{from}","id":"w","timestamp":{ts},"type":"{kind}","{kind}":{{"{field}":{value}}}}}"#
        ));
        let _ = parse_meta_webhook(&body);
    }
}

#[test]
fn each_message_gets_the_name_of_its_own_contact() {
    let body = wrap(
        r#"{"contacts":[{"profile":{"name":"Ana"},"wa_id":"5511987654321"},
                        {"profile":{"name":"Luc"},"wa_id":"33612345678"}],
            "messages":[{"from":"33612345678","id":"w1","type":"text","text":{"body":"a"}},
                        {"from":"5511987654321","id":"w2","type":"text","text":{"body":"b"}},
                        {"from":"4915112345678","id":"w3","type":"text","text":{"body":"c"}}]}"#,
    );
    let names: Vec<Option<String>> = parse_meta_webhook(&body)
        .unwrap()
        .messages
        .into_iter()
        .map(|m| m.from.name)
        .collect();
    assert_eq!(names, [Some("Luc".into()), Some("Ana".into()), None]);
}
