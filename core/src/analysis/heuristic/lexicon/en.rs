//! English.

use super::{Cat, Lexicon};

pub(super) const LEXICON: Lexicon = Lexicon {
    lang: "en",
    stopwords: &[
        "the", "and", "we", "you", "is", "are", "it", "to", "of", "for", "our", "with", "this",
        "that", "have", "would", "can", "could", "please", "thanks", "what", "how", "will", "be",
    ],
    terms: &[
        (Cat::Buy, &[
            "ready to buy", "ready to sign", "ready to upgrade", "ready to move forward",
            "ready to go ahead", "want to upgrade", "would like to upgrade", "we'd like to upgrade",
            "like to upgrade", "want to buy", "would like to buy", "we'd like to buy",
            "want to purchase", "would like to purchase", "send the contract", "send over the contract",
            "send me the contract", "send us the contract", "let's move forward", "let's go ahead",
            "go ahead with", "sign up for the annual", "sign the contract",
            "very interested", "really interested", "extremely interested", "highly interested",
            "definitely interested", "count us in", "add more seats", "add seats", "more seats",
            "more licenses", "more licences", "additional seats", "additional licenses",
            "upgrade to", "switch to the annual", "place an order", "purchase order",
            "how do we proceed", "how do we get started", "get started asap", "take the enterprise", "roll it out", "roll out to", "sign up the whole", "whole company",
        ]),
        (Cat::Interest, &[
            "interested", "i'm interested", "we're interested", "we are interested", "curious",
            "tell me more", "learn more", "know more", "more information", "more info", "more details",
            "sounds interesting", "sounds good", "sounds great", "looks interesting", "free trial",
            "a trial", "trial", "test it", "try it", "give it a try", "worth a look", "keen to",
            "would love to see", "consider", "considering", "evaluate", "evaluating", "looking for a",
            "options", "does it support", "do you support", "do you offer", "is it possible to",
            "can it", "would it work", "quote for", "a quote", "proposal", "does the api support", "does your", "is there a way to", "do you have an integration", "is there an integration",
        ]),
        (Cat::Pricing, &[
            "price", "prices", "cheaper", "cheapest", "pricing", "cost", "costs", "how much", "plan", "plans", "discount",
            "budget", "per seat", "per user", "rates", "tier", "tiers", "fee", "fees", "annual plan",
        ]),
        (Cat::Demo, &[
            "demo", "can we talk", "set up a call", "jump on a call", "a call", "quick call", "schedule a call", "book a call", "hop on a call",
            "meeting", "walkthrough", "walk through", "presentation", "calendar", "calendly",
        ]),
        (Cat::Expansion, &[
            "more seats", "other teams", "other departments", "whole team", "whole company",
            "entire company", "all our", "across the company", "scale up", "scaling", "expand",
            "expanding", "more users", "additional users", "second account", "another team",
            "growing fast", "next year", "all locations", "all our stores", "enterprise plan", "enterprise",
        ]),
        (Cat::Mention, &[
            "your product", "your tool", "your platform", "your app", "your service", "the app",
            "the tool", "the platform", "the dashboard", "dashboard", "feature", "features",
            "the new feature", "your newsletter", "your update", "the update", "release",
            "integration", "api", "the editor", "templates", "reports", "the report", "your software", "works well", "works great",
        ]),
        (Cat::Usage, &[
            "we use", "we're using", "we are using", "we currently use", "we've been using",
            "we have been using", "our team uses", "i use", "i'm using", "i've been using",
            "we rely on", "we mostly use", "we mainly use", "we send",
        ]),
        (Cat::Feature, &[
            "feature request", "would be nice", "would be great if", "could you add", "can you add",
            "please add", "missing feature", "is missing", "wish it", "any plans to", "roadmap",
            "support for",
        ]),
        (Cat::Decline, &[
            "not interested", "no longer interested", "not for us", "not a fit", "not a good fit",
            "no thanks", "no thank you", "not right now", "not at this time", "not the right time",
            "not a priority", "we'll pass", "we will pass", "pass for now", "already have a solution",
            "already use another", "already using another", "already have a provider",
            "don't need", "do not need", "no need", "not looking", "not in the market",
            "decided to go with", "went with another", "chose another", "maybe later",
            "no budget", "don't have the budget", "not interested at all",
        ]),
        (Cat::Unsubscribe, &[
            "unsubscribe", "remove me", "take me off", "stop emailing", "stop sending",
            "stop contacting", "do not contact", "don't contact", "don't email", "do not email",
            "opt out", "opt me out", "remove my email", "remove us from",
        ]),
        (Cat::Thanks, &["thanks", "thank you"]),
        (Cat::Positive, &[
            "great", "love", "love it", "awesome", "amazing", "excellent",
            "fantastic", "perfect", "happy", "pleased", "glad", "nice", "works well", "works great",
            "impressed", "helpful", "appreciate", "well done", "brilliant", "wonderful",
            "enjoying", "delighted", "super", "cool", "exciting", "excited",
        ]),
        (Cat::Negative, &[
            "disappointed", "disappointing", "unhappy", "not happy", "not satisfied", "dissatisfied",
            "poor", "bad", "terrible", "awful", "worse", "worst", "confusing", "too expensive",
            "not impressed", "not great", "not good", "unfortunately", "sadly", "concerned",
            "concern", "worried", "not working well", "not useful", "useless", "complaint", "stop emailing", "stop sending", "stop contacting", "never signed up",
        ]),
        (Cat::Frustrated, &[
            "again", "still not", "still doesn't", "still does not", "still waiting", "still broken",
            "third time", "second time", "several times", "multiple times", "many times",
            "unacceptable", "ridiculous", "fed up", "sick of", "tired of", "frustrated",
            "frustrating", "annoyed", "annoying", "no one", "nobody", "no response", "no answer",
            "waste of time", "seriously", "what is going on", "how many times", "for weeks",
            "for days", "ignored", "joke", "enough", "still hasn't", "still haven't", "still isn't",
        ]),
        (Cat::Urgent, &[
            "urgent", "urgently", "asap", "as soon as possible", "immediately", "right away", "today", "by tomorrow", "tonight", "emergency", "critical", "blocked",
            "blocking", "is down", "are down", "outage", "deadline", "time sensitive",
            "time-sensitive", "end of day", "eod", "within the hour", "can't wait",
        ]),
        (Cat::Problem, &[
            "bug", "bugs", "error", "errors", "broken", "crash", "crashes", "crashing", "issue",
            "issues", "problem", "problems", "doesn't work", "does not work", "not working",
            "stopped working", "isn't working", "won't load", "can't log in", "cannot log in",
            "can't login", "unable to", "failed", "fails", "failing", "failure", "missing",
            "wrong", "incorrect", "charged twice", "double charged", "overcharged",
            "not received", "never received", "haven't received", "didn't receive", "lost",
            "glitch", "is down", "outage", "slow", "timeout", "spam folder", "defective",
            "damaged", "delayed", "late", "hasn't arrived", "has not arrived", "not delivered", "still hasn't arrived", "hasn't arrived", "can't pay", "cannot pay",
        ]),
        (Cat::Churn, &[
            "cancel", "cancel my", "cancel our", "cancellation", "terminate", "close my account",
            "close our account", "delete my account", "refund", "money back", "switching to",
            "switch to another", "moving to", "leaving", "not renew", "won't renew",
            "will not renew", "downgrade",
        ]),
        (Cat::Billing, &[
            "invoice", "invoices", "billing", "billed", "charged", "charge", "payment", "paid",
            "receipt", "credit card", "vat", "subscription",
        ]),
        (Cat::Request, &[
            "can you", "could you", "would you", "will you", "please", "pls", "let me know",
            "send me", "send us", "i need", "we need", "i'd like", "we'd like", "i would like",
            "we would like", "is it possible", "kindly", "get back to me", "call me", "contact me",
            "reach out",
        ]),
        (Cat::Away, &[
            "out of office", "out of the office", "on vacation", "on holiday", "on leave",
            "automatic reply", "auto-reply", "limited access to email", "back on",
        ]),
        (Cat::Calm, &[
            "no rush", "no hurry", "not urgent", "no problem", "no problems", "no issue",
            "no issues", "not a problem", "no worries", "not bad", "works again", "working again",
            "thanks again", "no urgency", "when you get a chance", "when you have time",
        ]),
    ],
};
