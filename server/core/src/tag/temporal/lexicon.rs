//! The words of the date grammar, per language: month names, units, cues and connectors.
//!
//! Every table is plain data so that a new language is a new block of rows, not new code. Keys
//! are written in lower case NFC; lookups use the same key (see `tokens::lexicon_key`).

use std::sync::OnceLock;

use crate::tag::tokens::{Lexicon, lexicon_key};

/// How a month name may be used: a full name can stand alone after a cue (`in October`); an
/// abbreviation or an inflected form needs a day or a year next to it (`Oct 17`, `17 maja`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MonthForm {
    /// English full name, Polish nominative: may stand alone after a cue.
    Full,
    /// `Sept`, `Oct.`; Polish genitive (`października`), which follows a day.
    Bound,
    /// Polish locative (`w październiku`): a month alone after `w`.
    Locative,
}

/// A unit of a duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Hour,
    Day,
    Night,
    Week,
    Month,
    Year,
    Decade,
}

/// What the grammar knows about one word. A word can play several roles (`năm` is "year" and
/// "five"; `roku` is "of the year" after a year and a unit after a count).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WordInfo {
    pub month: Option<(u8, MonthForm)>,
    pub unit: Option<Unit>,
    pub number: Option<u8>,
    /// The word starts a rule of its own (`the past ...`, `the same year`).
    pub trigger: bool,
}

/// English, Polish (nominative, genitive, locative) month names and abbreviations.
const MONTHS: &[(&str, u8, MonthForm)] = &[
    // English.
    ("january", 1, MonthForm::Full),
    ("february", 2, MonthForm::Full),
    ("march", 3, MonthForm::Full),
    ("april", 4, MonthForm::Full),
    ("may", 5, MonthForm::Full),
    ("june", 6, MonthForm::Full),
    ("july", 7, MonthForm::Full),
    ("august", 8, MonthForm::Full),
    ("september", 9, MonthForm::Full),
    ("october", 10, MonthForm::Full),
    ("november", 11, MonthForm::Full),
    ("december", 12, MonthForm::Full),
    ("jan", 1, MonthForm::Bound),
    ("feb", 2, MonthForm::Bound),
    ("mar", 3, MonthForm::Bound),
    ("apr", 4, MonthForm::Bound),
    ("jun", 6, MonthForm::Bound),
    ("jul", 7, MonthForm::Bound),
    ("aug", 8, MonthForm::Bound),
    ("sep", 9, MonthForm::Bound),
    ("sept", 9, MonthForm::Bound),
    ("oct", 10, MonthForm::Bound),
    ("nov", 11, MonthForm::Bound),
    ("dec", 12, MonthForm::Bound),
    // Polish nominative.
    ("styczeń", 1, MonthForm::Full),
    ("luty", 2, MonthForm::Full),
    ("marzec", 3, MonthForm::Full),
    ("kwiecień", 4, MonthForm::Full),
    ("maj", 5, MonthForm::Full),
    ("czerwiec", 6, MonthForm::Full),
    ("lipiec", 7, MonthForm::Full),
    ("sierpień", 8, MonthForm::Full),
    ("wrzesień", 9, MonthForm::Full),
    ("październik", 10, MonthForm::Full),
    ("listopad", 11, MonthForm::Full),
    ("grudzień", 12, MonthForm::Full),
    // Polish genitive (`17 października 2016 r.`).
    ("stycznia", 1, MonthForm::Bound),
    ("lutego", 2, MonthForm::Bound),
    ("marca", 3, MonthForm::Bound),
    ("kwietnia", 4, MonthForm::Bound),
    ("maja", 5, MonthForm::Bound),
    ("czerwca", 6, MonthForm::Bound),
    ("lipca", 7, MonthForm::Bound),
    ("sierpnia", 8, MonthForm::Bound),
    ("września", 9, MonthForm::Bound),
    ("października", 10, MonthForm::Bound),
    ("listopada", 11, MonthForm::Bound),
    ("grudnia", 12, MonthForm::Bound),
    // Polish locative (`w październiku`).
    ("styczniu", 1, MonthForm::Locative),
    ("lutym", 2, MonthForm::Locative),
    ("marcu", 3, MonthForm::Locative),
    ("kwietniu", 4, MonthForm::Locative),
    ("maju", 5, MonthForm::Locative),
    ("czerwcu", 6, MonthForm::Locative),
    ("lipcu", 7, MonthForm::Locative),
    ("sierpniu", 8, MonthForm::Locative),
    ("wrześniu", 9, MonthForm::Locative),
    ("październiku", 10, MonthForm::Locative),
    ("listopadzie", 11, MonthForm::Locative),
    ("grudniu", 12, MonthForm::Locative),
];

/// Duration units: English, Vietnamese, Polish (all plural forms), Korean counters.
const UNITS: &[(&str, Unit)] = &[
    ("hour", Unit::Hour),
    ("hours", Unit::Hour),
    ("day", Unit::Day),
    ("days", Unit::Day),
    ("night", Unit::Night),
    ("nights", Unit::Night),
    ("week", Unit::Week),
    ("weeks", Unit::Week),
    ("month", Unit::Month),
    ("months", Unit::Month),
    ("year", Unit::Year),
    ("years", Unit::Year),
    ("decade", Unit::Decade),
    ("decades", Unit::Decade),
    ("giờ", Unit::Hour),
    ("ngày", Unit::Day),
    ("đêm", Unit::Night),
    ("tuần", Unit::Week),
    ("tháng", Unit::Month),
    ("năm", Unit::Year),
    ("godzina", Unit::Hour),
    ("godziny", Unit::Hour),
    ("godzin", Unit::Hour),
    ("dzień", Unit::Day),
    ("dni", Unit::Day),
    ("noc", Unit::Night),
    ("noce", Unit::Night),
    ("nocy", Unit::Night),
    ("tydzień", Unit::Week),
    ("tygodnie", Unit::Week),
    ("tygodni", Unit::Week),
    ("miesiąc", Unit::Month),
    ("miesiące", Unit::Month),
    ("miesięcy", Unit::Month),
    ("rok", Unit::Year),
    ("lata", Unit::Year),
    ("lat", Unit::Year),
    ("dekada", Unit::Decade),
    ("dekady", Unit::Decade),
    ("dekad", Unit::Decade),
    ("시간", Unit::Hour),
    ("일간", Unit::Day),
    ("박", Unit::Night),
    ("주간", Unit::Week),
    ("개월", Unit::Month),
    ("개월간", Unit::Month),
    ("년간", Unit::Year),
];

/// Number words that count units (`five years`).
const NUMBER_WORDS: &[(&str, u8)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("fifty", 50),
];

/// Words before a count that make it a duration anchored on now: kept in the span
/// (`the past 5 years`, `ostatnich 5 lat`).
pub(crate) const DURATION_PREFIXES: &[&str] = &[
    "past",
    "last",
    "next",
    "previous",
    "coming",
    "following",
    "first",
    "ostatnich",
    "ostatnie",
    "kolejnych",
    "najbliższych",
    "następnych",
    "minionych",
];

/// Words after a count of units that keep the span a duration (`5 năm qua` = the past 5 years).
pub(crate) const DURATION_SUFFIXES: &[&str] = &["qua", "nay"];

/// Words after a count of units that make it something else: an age, a relative date.
pub(crate) const NOT_DURATION_AFTER: &[&str] = &["old", "ago", "trước", "temu", "tuổi"];

/// Range connectors between two dates. `and` only counts after `between`.
pub(crate) const RANGE_WORDS: &[&str] = &["to", "until", "till", "through", "đến", "tới", "do"];

/// Punctuation that joins the two ends of a range (`1930 - 2007`, `14–18`).
pub(crate) const RANGE_PUNCT: &[char] = &['-', '–', '—', '~'];

/// Words before a lone month name that make it a date (`in October`, not the verb `may`).
pub(crate) const MONTH_CUES: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "during",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "this",
    "before",
    "after",
    "of",
    "throughout",
];

/// Words after a year that belong to the date (`2016 r.`, `w 2004 roku`).
pub(crate) const YEAR_SUFFIXES: &[&str] = &["roku", "r"];

/// Words after a number that make it a quantity, not a year (`2000 people`, `1500 USD`).
pub(crate) const MEASURE_WORDS: &[&str] = &[
    "people",
    "persons",
    "members",
    "visitors",
    "tourists",
    "students",
    "workers",
    "households",
    "companies",
    "enterprises",
    "projects",
    "jobs",
    "units",
    "cases",
    "dollars",
    "usd",
    "vnd",
    "eur",
    "euro",
    "euros",
    "won",
    "krw",
    "yen",
    "tons",
    "tonnes",
    "km",
    "kilometres",
    "kilometers",
    "metres",
    "meters",
    "m",
    "ha",
    "hectares",
    "square",
    "mw",
    "kw",
    "người",
    "hộ",
    "tấn",
    "đồng",
    "khách",
    "lượt",
    "tỷ",
    "triệu",
    "osób",
    "osoby",
    "złotych",
    "zł",
    "ton",
    "mieszkańców",
    "명",
    "원",
];

/// Publication cues that introduce the document creation time on its line.
pub(crate) const DCT_CUES: &[&str] = &[
    "published",
    "posted",
    "posted on",
    "updated",
    "date",
    "ngày đăng",
    "đăng ngày",
    "cập nhật",
    "ngày",
    "opublikowano",
    "data publikacji",
    "data",
    "dodano",
    "작성일",
    "입력",
    "등록일",
    "발행일",
    "기사입력",
];

/// Anaphoric year phrases (`the same year`): the tokens and the offset from the earlier year.
pub(crate) const SAME_YEAR_PHRASES: &[(&str, i32)] = &[
    ("the same year", 0),
    ("that same year", 0),
    ("the following year", 1),
    ("the next year", 1),
    ("the previous year", -1),
    ("cùng năm", 0),
    ("năm đó", 0),
    ("tym samym roku", 0),
    ("tego samego roku", 0),
];

/// The word table of the date grammar, built once.
pub(crate) fn words() -> &'static Lexicon<WordInfo> {
    static WORDS: OnceLock<Lexicon<WordInfo>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Lexicon<WordInfo> = Lexicon::default();
        let key = |word: &str| {
            lexicon_key(word, !word.is_ascii())
                .into_owned()
                .into_boxed_str()
        };
        for &(word, month, form) in MONTHS {
            words.entry(key(word)).or_default().month = Some((month, form));
        }
        for &(word, unit) in UNITS {
            words.entry(key(word)).or_default().unit = Some(unit);
        }
        for &(word, number) in NUMBER_WORDS {
            words.entry(key(word)).or_default().number = Some(number);
        }
        let phrase_starts = SAME_YEAR_PHRASES
            .iter()
            .filter_map(|(phrase, _)| phrase.split(' ').next());
        for word in DURATION_PREFIXES
            .iter()
            .copied()
            .chain(phrase_starts)
            .chain(["the"])
        {
            words.entry(key(word)).or_default().trigger = true;
        }
        words
    })
}
