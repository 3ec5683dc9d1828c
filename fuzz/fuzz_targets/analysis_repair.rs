#![no_main]
//! LLM output repair and the offline analyzer never panic, whatever the text.
use libfuzzer_sys::fuzz_target;
use replytrack::analysis::{AnalysisContext, HeuristicAnalyzer, parse_analysis};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_analysis(&text);
    let _ = HeuristicAnalyzer::new().analyze_text(&text, &AnalysisContext::default());
});
