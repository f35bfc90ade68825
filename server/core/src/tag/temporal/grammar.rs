//! The date and duration grammar: rules over tokens, one entry point per kind of first token.
//!
//! The scanner walks the tokens left to right. At a digit run it tries numeric dates, years,
//! day-month phrases and counted durations; at a word it tries month-first dates, the
//! Vietnamese cues `ngày` / `tháng` / `năm`, duration prefixes (`the past`) and anaphoric years.
//! A date found is then extended into a range when a connector and a second date follow. Digit
//! runs that belong to something else (version numbers, phone numbers, `Covid-19`, URLs) are
//! skipped as a whole so that no part of them becomes a date.

use super::calendar::{Granularity, PartialDate, valid_day};
use super::lexicon::{self, MonthForm, Unit, WordInfo};
use crate::tag::tokens::{Lexicon, TokenKind, Tokens};

/// What a rule found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Found {
    /// A date or a range of dates; parts may still lack their year.
    Date {
        start: PartialDate,
        end: Option<PartialDate>,
    },
    /// A duration with its TIMEX3 value (`P5Y`).
    Duration {
        value: String,
        granularity: Granularity,
    },
    /// `the same year`: the year of the previous date plus `offset`.
    SameYear { offset: i32 },
}

/// A rule's match: the first and last token (inclusive) and what they mean.
#[derive(Clone, Debug)]
pub(crate) struct Match {
    pub first: usize,
    pub last: usize,
    pub found: Found,
}

enum Step {
    Match(Match),
    /// Tokens up to and including this index belong to something that is not a date.
    Skip(usize),
    Nothing,
}

/// Runs the grammar over a tokenised document.
pub(crate) fn scan(tokens: &Tokens<'_>) -> Vec<Match> {
    let grammar = Grammar {
        t: tokens,
        words: lexicon::words(),
        month_first: std::cell::OnceCell::new(),
    };
    let mut out = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        match grammar.step(index) {
            Step::Match(found) => {
                index = found.last + 1;
                out.push(found);
            }
            Step::Skip(last) => index = last.max(index) + 1,
            Step::Nothing => index += 1,
        }
    }
    out
}

struct Grammar<'a, 't> {
    t: &'a Tokens<'t>,
    words: &'static Lexicon<WordInfo>,
    /// Whether the document writes slash dates month first, found on first need.
    month_first: std::cell::OnceCell<bool>,
}

const ORDINAL_SUFFIXES: &[&str] = &["st", "nd", "rd", "th"];

fn is_year(value: u32, digits: usize) -> bool {
    digits == 4 && (1000..=2199).contains(&value)
}

fn day_only(day: u8) -> PartialDate {
    PartialDate {
        day: Some(day),
        ..PartialDate::default()
    }
}

fn month_date(year: Option<u16>, month: u8, day: Option<u8>) -> PartialDate {
    PartialDate {
        year,
        month: Some(month),
        day,
        decade: false,
    }
}

fn date(first: usize, last: usize, start: PartialDate) -> Step {
    Step::Match(Match {
        first,
        last,
        found: Found::Date { start, end: None },
    })
}

impl Grammar<'_, '_> {
    fn info(&self, index: usize) -> Option<&'static WordInfo> {
        self.words.get_token(self.t, index)
    }

    fn is_kind(&self, index: usize, kind: TokenKind) -> bool {
        self.t.get(index).is_some_and(|t| t.kind == kind)
    }

    /// Token `index` exists and touches the previous token (no space between).
    fn adjacent(&self, index: usize) -> bool {
        self.t.get(index).is_some_and(|t| !t.space_before())
    }

    fn word_is(&self, index: usize, words: &[&str]) -> bool {
        self.t.is_word_in(index, words)
    }

    fn punct_in(&self, index: usize, chars: &[char]) -> bool {
        chars.iter().any(|&ch| self.t.is_punct(index, ch))
    }

    /// A day of the month written as one or two digits.
    fn day_at(&self, index: usize) -> Option<u8> {
        match self.t.number(index)? {
            (day @ 1..=31, 1..=2) => Some(day as u8),
            _ => None,
        }
    }

    /// A month written as one or two digits.
    fn month_number_at(&self, index: usize) -> Option<u8> {
        match self.t.number(index)? {
            (month @ 1..=12, 1..=2) => Some(month as u8),
            _ => None,
        }
    }

    fn year_at(&self, index: usize) -> Option<u16> {
        let (value, digits) = self.t.number(index)?;
        is_year(value, digits).then_some(value as u16)
    }

    fn month_at(&self, index: usize) -> Option<(u8, MonthForm)> {
        let (month, form) = self.info(index)?.month?;
        // `may` and `march` are also an English verb: only the capitalised word is a month.
        let token = self.t.get(index)?;
        if self.word_is(index, &["may", "march"]) && !token.is_capitalised() {
            return None;
        }
        Some((month, form))
    }

    fn step(&self, index: usize) -> Step {
        let token = self.t.tokens[index];
        if token.in_url() {
            return Step::Nothing;
        }
        let step = match token.kind {
            TokenKind::Number => self.numeric(index),
            TokenKind::Word => self.word(index),
            TokenKind::Punct => Step::Nothing,
        };
        match step {
            Step::Match(found) => match self.extend_range(found) {
                Some(found) => Step::Match(found),
                None => Step::Nothing,
            },
            other => other,
        }
    }

    /// Turns `DATE connector DATE` into a range and drops incomplete points (a bare day).
    fn extend_range(&self, found: Match) -> Option<Match> {
        let Found::Date { start, end: None } = found.found else {
            return Some(found);
        };
        let connector = found.last + 1;
        let is_connector = self.word_is(connector, lexicon::RANGE_WORDS)
            || self.punct_in(connector, lexicon::RANGE_PUNCT)
            || (self.word_is(connector, &["and", "và", "i"])
                && found.first > 0
                && self.word_is(found.first - 1, &["between", "giữa", "między"]));
        if is_connector && let Some((end, last)) = self.end_point(connector + 1, start) {
            let mut start = start;
            if start.month.is_none() && start.day.is_some() {
                start.month = end.month;
            }
            if start.year.is_none() && start.month.is_some() && !start.decade {
                start.year = end.year;
            }
            if start.month.is_some() || start.year.is_some() {
                return Some(Match {
                    first: found.first,
                    last,
                    found: Found::Date {
                        start,
                        end: Some(end),
                    },
                });
            }
        }
        (start.month.is_some() || start.year.is_some()).then_some(found)
    }

    /// The second point of a range: a full date, or a bare day completed from the start.
    fn end_point(&self, index: usize, start: PartialDate) -> Option<(PartialDate, usize)> {
        if self.t.get(index)?.in_url() {
            return None;
        }
        let step = match self.t.get(index)?.kind {
            TokenKind::Number => self.numeric(index),
            TokenKind::Word => self.word(index),
            TokenKind::Punct => Step::Nothing,
        };
        if let Step::Match(Match {
            last,
            found:
                Found::Date {
                    start: end,
                    end: None,
                },
            ..
        }) = step
        {
            let mut end = end;
            if end.month.is_none() && end.day.is_some() {
                end.month = Some(start.month?);
                end.year = start.year;
            }
            // Two years or two days, never a year and a bare day.
            if (end.year.is_some() && end.month.is_none())
                != (start.year.is_some() && start.month.is_none())
            {
                return None;
            }
            return Some((end, last));
        }
        // `October 14 to 18`: a bare day after a day.
        if start.day.is_some() && start.month.is_some() {
            let day = self.day_at(index)?;
            let month = start.month?;
            if valid_day(start.year, month, day) && !self.followed_by_number_context(index) {
                return Some((month_date(start.year, month, Some(day)), index));
            }
        }
        None
    }

    /// A digit run followed by a unit or a measure word is a quantity, not a day.
    fn followed_by_number_context(&self, index: usize) -> bool {
        self.info(index + 1).is_some_and(|info| info.unit.is_some())
            || self.word_is(index + 1, lexicon::MEASURE_WORDS)
    }

    // ----- Rules starting at a digit run -----

    /// The digit runs joined by single punctuation characters without spaces (`3.8.0`,
    /// `2016-10-17`, `0236-3822`), as token indices, with the separators between them.
    fn chain(&self, index: usize) -> (Vec<usize>, Vec<char>) {
        let mut numbers = vec![index];
        let mut separators = Vec::new();
        let mut next = index + 1;
        while self.is_kind(next, TokenKind::Punct)
            && self.adjacent(next)
            && self.is_kind(next + 1, TokenKind::Number)
            && self.adjacent(next + 1)
        {
            let ch = self.t.text_of(next).chars().next().unwrap_or(' ');
            if !matches!(ch, '.' | '/' | '-' | '–' | ':' | ',') {
                break;
            }
            separators.push(ch);
            numbers.push(next + 1);
            next += 2;
        }
        (numbers, separators)
    }

    /// True when the document's unambiguous slash dates (`d/d/yyyy`) are all month first
    /// (`10/17/2016`), and there is at least one.
    fn slash_dates_month_first(&self) -> bool {
        *self.month_first.get_or_init(|| {
            let (mut month_first, mut day_first) = (0, 0);
            for index in 0..self.t.len() {
                let number = |i: usize| {
                    self.t
                        .number(i)
                        .filter(|_| !self.t.tokens[i].in_url() && (i == index || self.adjacent(i)))
                };
                let slash = |i: usize| self.t.is_punct(i, '/') && self.adjacent(i);
                let (Some((a, 1..=2)), true, Some((b, 1..=2)), true, Some((y, 4))) = (
                    number(index),
                    slash(index + 1),
                    number(index + 2),
                    slash(index + 3),
                    number(index + 4),
                ) else {
                    continue;
                };
                if !is_year(y, 4) {
                    continue;
                }
                let year = Some(y as u16);
                if a <= 12 && b > 12 && valid_day(year, a as u8, b as u8) {
                    month_first += 1;
                } else if a > 12 && b <= 12 && valid_day(year, b as u8, a as u8) {
                    day_first += 1;
                }
            }
            month_first > 0 && day_first == 0
        })
    }

    /// A digit run glued to what precedes it belongs to a code or a name (`Covid-19`, `H5N1`,
    /// `+84`, `#12`, `$2000`).
    fn glued_before(&self, index: usize) -> bool {
        if index == 0 || !self.adjacent(index) {
            return false;
        }
        let previous = index - 1;
        match self.t.tokens[previous].kind {
            TokenKind::Word => true,
            TokenKind::Number => true,
            TokenKind::Punct => {
                if self.punct_in(previous, &['+', '#', '$', '€', '£', '₫', '№']) {
                    return true;
                }
                self.punct_in(previous, &['-', '.', '/', ',', ':', '_'])
                    && previous > 0
                    && self.adjacent(previous)
                    && matches!(
                        self.t.tokens[previous - 1].kind,
                        TokenKind::Word | TokenKind::Number
                    )
            }
        }
    }

    fn numeric(&self, index: usize) -> Step {
        let (numbers, separators) = self.chain(index);
        let last = *numbers.last().unwrap_or(&index);
        if self.glued_before(index) {
            return Step::Skip(last);
        }
        if numbers.len() > 1 {
            return match self.numeric_chain(&numbers, &separators) {
                Some(step) => step,
                None => Step::Skip(last),
            };
        }
        let Some((value, digits)) = self.t.number(index) else {
            return Step::Skip(index);
        };
        let next = index + 1;
        if self.adjacent(next) {
            if self.is_kind(next, TokenKind::Word) {
                return self.glued_suffix(index, value, digits);
            }
            if self.t.is_punct(next, '%') {
                return Step::Skip(next);
            }
            if self.t.is_punct(next, '-')
                && self.adjacent(next + 1)
                && let Some(unit) = self.info(next + 1).and_then(|info| info.unit)
                && digits <= 3
            {
                // `a 5-year plan`.
                return duration_step(index, next + 1, &[(value, unit)]);
            }
        }
        if digits <= 2 && (1..=31).contains(&value) {
            let day = value as u8;
            if let Some(step) = self.day_first(index, day) {
                return step;
            }
        }
        if digits <= 3
            && let Some(step) = self.duration(index, index)
        {
            return step;
        }
        if digits == 4 {
            return self.year(index, value);
        }
        Step::Nothing
    }

    /// A digit run with a word glued to it: ordinals, decades, Korean dates and counters.
    fn glued_suffix(&self, index: usize, value: u32, digits: usize) -> Step {
        let next = index + 1;
        let key = self.t.key(next);
        if ORDINAL_SUFFIXES.contains(&key.as_ref()) && (1..=31).contains(&value) {
            // `17th September`, `the 17th of September`; `the 33rd Anniversary` is not a date.
            let mut month_index = next + 1;
            if self.word_is(month_index, &["of"]) {
                month_index += 1;
            }
            if let Some((month, form)) = self.month_at(month_index)
                && form != MonthForm::Locative
                && valid_day(None, month, value as u8)
            {
                let (year, last) = self.year_tail(month_index + 1, month_index);
                return date(index, last, month_date(year, month, Some(value as u8)));
            }
            return Step::Skip(next);
        }
        if key == "s" && digits == 4 && value.is_multiple_of(10) && is_year(value, digits) {
            let decade = PartialDate {
                year: Some((value / 10) as u16),
                decade: true,
                ..PartialDate::default()
            };
            return date(index, next, decade);
        }
        if matches!(key.as_ref(), "년" | "월") {
            return self.korean_date(index).unwrap_or(Step::Skip(next));
        }
        if self.info(next).is_some_and(|info| info.unit.is_some()) && digits <= 3 {
            return self.duration(index, index).unwrap_or(Step::Skip(next));
        }
        Step::Skip(next)
    }

    /// Dates written with digits and separators only.
    fn numeric_chain(&self, numbers: &[usize], separators: &[char]) -> Option<Step> {
        let values: Vec<(u32, usize)> = numbers
            .iter()
            .map(|&i| self.t.number(i))
            .collect::<Option<_>>()?;
        let first = numbers[0];
        let last = *numbers.last()?;
        if self.adjacent(last + 1) && !self.punct_in(last + 1, &['.', ',', ')', ';', ':']) {
            return None;
        }
        match (values.as_slice(), separators) {
            // 2016-10-17, 2016/10/17.
            ([(y, 4), (m, 1..=2), (d, 1..=2)], [a, b])
                if a == b && matches!(a, '-' | '/' | '.') =>
            {
                let (y, m, d) = (*y as u16, *m as u8, *d as u8);
                (is_year(y as u32, 4) && valid_day(Some(y), m, d))
                    .then(|| date(first, last, PartialDate::ymd(y, m, d)))
            }
            // 17/10/2016, 17.10.2016, 17-10-2016: day first unless that is impossible.
            ([(a, 1..=2), (b, 1..=2), (y, 4)], [s, t])
                if s == t && matches!(s, '-' | '/' | '.') =>
            {
                let y = *y as u16;
                if !is_year(y as u32, 4) {
                    return None;
                }
                let (a, b) = (*a as u8, *b as u8);
                // An ambiguous date (03/04/2016) is read month first when the document writes
                // its slash dates the American way (10/17/2016, and never 17/10/2016).
                let month_first = a <= 12 && b <= 12 && *s == '/' && self.slash_dates_month_first();
                let (d, m) = if !month_first && (a > 12 || b <= 12) {
                    (a, b)
                } else {
                    (b, a)
                };
                valid_day(Some(y), m, d).then(|| date(first, last, PartialDate::ymd(y, m, d)))
            }
            // 2015-2019, 2015–2019.
            ([(a, 4), (b, 4)], ['-' | '–']) if is_year(*a, 4) && is_year(*b, 4) && a < b => {
                Some(Step::Match(Match {
                    first,
                    last,
                    found: Found::Date {
                        start: PartialDate::year(*a as u16),
                        end: Some(PartialDate::year(*b as u16)),
                    },
                }))
            }
            // 14-18 stycznia, 14–18 October 2016.
            ([(a, 1..=2), (b, 1..=2)], ['-' | '–']) if a < b => {
                let (month, form) = self.month_at(last + 1)?;
                if form == MonthForm::Locative || !valid_day(None, month, *b as u8) || *a == 0 {
                    return None;
                }
                let (year, tail) = self.year_tail(last + 2, last + 1);
                Some(Step::Match(Match {
                    first,
                    last: tail,
                    found: Found::Date {
                        start: month_date(year, month, Some(*a as u8)),
                        end: Some(month_date(year, month, Some(*b as u8))),
                    },
                }))
            }
            // 10/2016.
            ([(m, 1..=2), (y, 4)], ['/' | '.']) if (1..=12).contains(m) && is_year(*y, 4) => Some(
                date(first, last, month_date(Some(*y as u16), *m as u8, None)),
            ),
            _ => None,
        }
    }

    /// `17 October 2016`, `17 października 2016 r.`, `18 tháng 1`, or the bare first day of a
    /// range (`14 - 18 stycznia`), which `extend_range` completes or drops.
    fn day_first(&self, index: usize, day: u8) -> Option<Step> {
        let next = index + 1;
        let month_index = if self.word_is(next, &["of"]) {
            next + 1
        } else {
            next
        };
        if let Some((month, form)) = self.month_at(month_index)
            && form != MonthForm::Locative
        {
            if !valid_day(None, month, day) {
                return Some(Step::Skip(month_index));
            }
            let (year, last) = self.year_tail(month_index + 1, month_index);
            return Some(date(index, last, month_date(year, month, Some(day))));
        }
        if self.word_is(next, &["tháng"])
            && let Some(month) = self.month_number_at(next + 1)
            && valid_day(None, month, day)
        {
            let (year, last) = self.vietnamese_year_tail(next + 2, next + 1);
            return Some(date(index, last, month_date(year, month, Some(day))));
        }
        let connector = self.word_is(next, lexicon::RANGE_WORDS)
            || (self.punct_in(next, lexicon::RANGE_PUNCT) && !self.adjacent(next))
            || (self.word_is(next, &["and", "và", "i"])
                && index > 0
                && self.word_is(index - 1, &["between", "giữa", "między"]));
        if connector {
            return Some(date(index, index, day_only(day)));
        }
        None
    }

    /// A four-digit year standing alone (`in 2004`, `2004 roku`).
    fn year(&self, index: usize, value: u32) -> Step {
        if !is_year(value, 4) {
            return Step::Nothing;
        }
        let cue = index > 0
            && self.word_is(
                index - 1,
                &[
                    "in", "since", "from", "by", "until", "till", "year", "năm", "w", "od", "do",
                    "z", "rok", "roku",
                ],
            );
        if !(1800..=2100).contains(&value) && !cue {
            return Step::Nothing;
        }
        // Groups of digits separated by spaces are phone numbers or amounts.
        if (index > 0 && self.is_kind(index - 1, TokenKind::Number))
            || self.is_kind(index + 1, TokenKind::Number)
        {
            return Step::Nothing;
        }
        if self.word_is(index + 1, lexicon::MEASURE_WORDS) {
            return Step::Nothing;
        }
        let last = self.year_suffix(index + 1).unwrap_or(index);
        date(index, last, PartialDate::year(value as u16))
    }

    /// `roku` or `r.` after a year (Polish), as the index of the last token they take.
    fn year_suffix(&self, index: usize) -> Option<usize> {
        if self.word_is(index, lexicon::YEAR_SUFFIXES) && !self.word_is(index, &["r"]) {
            return Some(index);
        }
        if self.word_is(index, &["r"])
            && self.t.is_punct(index + 1, '.')
            && self.adjacent(index + 1)
        {
            return Some(index + 1);
        }
        None
    }

    /// An optional year after a day and a month: `, 2016`, ` 2016 r.`. Returns the year and the
    /// last token of the date (`fallback` when there is no year).
    fn year_tail(&self, index: usize, fallback: usize) -> (Option<u16>, usize) {
        let mut at = index;
        if self.t.is_punct(at, ',') {
            at += 1;
        }
        match self.year_at(at) {
            Some(year) if !self.adjacent(at) || at == index => {
                if self.glued_after_year(at) {
                    return (None, fallback);
                }
                (Some(year), self.year_suffix(at + 1).unwrap_or(at))
            }
            _ => (None, fallback),
        }
    }

    fn glued_after_year(&self, index: usize) -> bool {
        self.adjacent(index + 1)
            && (self.is_kind(index + 1, TokenKind::Word)
                || (self.punct_in(index + 1, &['.', '/', '-', ':'])
                    && self.is_kind(index + 2, TokenKind::Number)
                    && self.adjacent(index + 2)))
    }

    /// A day number glued to a word other than an ordinal suffix, or to a further digit run
    /// other than the end of a day range (`October 3.5`, `May 10:30`).
    fn glued_after_day(&self, index: usize) -> bool {
        let next = index + 1;
        if !self.adjacent(next) {
            return false;
        }
        if self.is_kind(next, TokenKind::Word) {
            return !self.word_is(next, ORDINAL_SUFFIXES);
        }
        self.punct_in(next, &['.', '/', ':', ','])
            && self.is_kind(next + 1, TokenKind::Number)
            && self.adjacent(next + 1)
    }

    /// An optional Vietnamese year after a month: ` năm 2016`, `/2016`, `, năm 2016`.
    fn vietnamese_year_tail(&self, index: usize, fallback: usize) -> (Option<u16>, usize) {
        if self.t.is_punct(index, '/')
            && self.adjacent(index)
            && self.adjacent(index + 1)
            && let Some(year) = self.year_at(index + 1)
        {
            return (Some(year), index + 1);
        }
        let at = if self.t.is_punct(index, ',') {
            index + 1
        } else {
            index
        };
        if self.word_is(at, &["năm"])
            && let Some(year) = self.year_at(at + 1)
        {
            return (Some(year), at + 1);
        }
        (None, fallback)
    }

    /// Korean dates: `2016년 10월 17일`, `2016년 10월`, `10월 17일`, `2016년`.
    fn korean_date(&self, index: usize) -> Option<Step> {
        let mut at = index;
        let mut year = None;
        if self.word_is(at + 1, &["년"]) && self.adjacent(at + 1) {
            year = Some(self.year_at(at)?);
            at += 2;
        }
        let mut last = at.saturating_sub(1);
        let mut month = None;
        let mut day = None;
        if let Some(m) = self.month_number_at(at)
            && self.word_is(at + 1, &["월"])
            && self.adjacent(at + 1)
        {
            month = Some(m);
            last = at + 1;
            if let Some(d) = self.day_at(at + 2)
                && self.word_is(at + 3, &["일"])
                && self.adjacent(at + 3)
                && valid_day(year, m, d)
            {
                day = Some(d);
                last = at + 3;
            }
        }
        if year.is_none() && month.is_none() {
            return None;
        }
        Some(date(
            index,
            last,
            PartialDate {
                year,
                month,
                day,
                decade: false,
            },
        ))
    }

    // ----- Durations -----

    /// A count: digits (at most three, not glued to a code) or a number word.
    fn count_at(&self, index: usize) -> Option<u32> {
        let token = self.t.get(index)?;
        if token.in_url() {
            return None;
        }
        match token.kind {
            TokenKind::Number => {
                let (value, digits) = self.t.number(index)?;
                (digits <= 3 && !self.glued_before(index)).then_some(value)
            }
            TokenKind::Word => self.info(index)?.number.map(u32::from),
            TokenKind::Punct => None,
        }
    }

    /// The unit after a count: spaced (`5 years`), or glued for Korean counters (`5년간`).
    fn unit_after(&self, count: usize) -> Option<Unit> {
        let index = count + 1;
        let unit = self.info(index)?.unit?;
        let glued = self.adjacent(index);
        let hangul = self.t.text_of(index).chars().next().is_some_and(is_hangul);
        (glued == hangul).then_some(unit)
    }

    /// `N unit [N unit]...` from the count at `count`; the span starts at `first`.
    fn duration(&self, first: usize, count: usize) -> Option<Step> {
        let mut parts: Vec<(u32, Unit)> = Vec::new();
        let mut at = count;
        let mut last = count;
        while let Some(value) = self.count_at(at) {
            let unit = match self.unit_after(at) {
                Some(unit) => unit,
                // `4박 5일`: days after nights use the date counter `일`.
                None if parts.last().is_some_and(|p| p.1 == Unit::Night)
                    && self.word_is(at + 1, &["일"])
                    && self.adjacent(at + 1) =>
                {
                    Unit::Day
                }
                None => break,
            };
            parts.push((value, unit));
            last = at + 1;
            at = last + 1;
            if self.word_is(at, &["and", "và", "i"]) {
                if self.count_at(at + 1).is_some() && self.unit_after(at + 1).is_some() {
                    at += 1;
                } else {
                    break;
                }
            }
        }
        if parts.is_empty() || self.word_is(last + 1, lexicon::NOT_DURATION_AFTER) {
            return None;
        }
        if self.word_is(last + 1, lexicon::DURATION_SUFFIXES) {
            last += 1;
        }
        Some(duration_step(first, last, &parts))
    }

    // ----- Rules starting at a word -----

    fn word(&self, index: usize) -> Step {
        // Every rule starts at a word of the lexicon: one lookup settles most words.
        let Some(info) = self.info(index) else {
            return Step::Nothing;
        };
        let key = self.t.key(index);
        match key.as_ref() {
            "ngày" => return self.vietnamese_day(index).unwrap_or(Step::Nothing),
            "tháng" => return self.vietnamese_month(index).unwrap_or(Step::Nothing),
            "năm" => {
                if let Some(year) = self.year_at(index + 1)
                    && !self.glued_after_year(index + 1)
                {
                    return date(index, index + 1, PartialDate::year(year));
                }
            }
            _ => {}
        }
        // Same-year phrases and duration prefixes start with trigger words only.
        if info.trigger
            && let Some(step) = self.same_year(index)
        {
            return step;
        }
        let prefix = if !info.trigger {
            None
        } else if key == "the" && self.word_is(index + 1, lexicon::DURATION_PREFIXES) {
            Some(index + 2)
        } else if lexicon::DURATION_PREFIXES.contains(&key.as_ref()) {
            Some(index + 1)
        } else {
            None
        };
        if let Some(count) = prefix
            && let Some(step) = self.duration(index, count)
        {
            return step;
        }
        if info.month.is_some() && self.month_at(index).is_some() {
            return self.month_first(index).unwrap_or(Step::Nothing);
        }
        if let Some(value) = info.number
            && let Some(step) = self.duration(index, index)
        {
            let _ = value;
            return step;
        }
        Step::Nothing
    }

    /// `the same year`, `cùng năm`, `tego samego roku`.
    fn same_year(&self, index: usize) -> Option<Step> {
        let first = self.t.key(index);
        for &(phrase, offset) in lexicon::SAME_YEAR_PHRASES {
            // The phrase's first word must be this one (checked again below, cheaply here).
            if !phrase
                .strip_prefix(first)
                .is_some_and(|rest| rest.starts_with(' '))
            {
                continue;
            }
            let mut length = 0;
            let matched = phrase.split(' ').enumerate().all(|(k, word)| {
                length = k + 1;
                self.word_is(index + k, &[word])
            });
            if matched {
                return Some(Step::Match(Match {
                    first: index,
                    last: index + length - 1,
                    found: Found::SameYear { offset },
                }));
            }
        }
        None
    }

    /// `October 17, 2016`, `September 17th`, `Oct. 14-18`, `March 2004`, `in October`,
    /// `w październiku 2016`.
    fn month_first(&self, index: usize) -> Option<Step> {
        let (month, form) = self.month_at(index)?;
        let mut after = index + 1;
        let mut last = index;
        if form == MonthForm::Bound && self.t.is_punct(after, '.') && self.adjacent(after) {
            last = after;
            after += 1;
        }
        if form != MonthForm::Locative
            && let Some(day) = self.day_at(after)
            && !self.adjacent(after)
            && !self.glued_after_day(after)
        {
            if !valid_day(None, month, day) {
                return None;
            }
            let mut day_last = after;
            if self.adjacent(after + 1) && self.word_is(after + 1, ORDINAL_SUFFIXES) {
                day_last = after + 1;
            }
            // `October 14-18, 2016`.
            let mut end_day = None;
            if self.punct_in(day_last + 1, &['-', '–'])
                && self.adjacent(day_last + 1)
                && let Some(end) = self.day_at(day_last + 2)
                && self.adjacent(day_last + 2)
                && end > day
                && valid_day(None, month, end)
            {
                end_day = Some(end);
                day_last += 2;
            }
            let (year, last) = self.year_tail(day_last + 1, day_last);
            let start = month_date(year, month, Some(day));
            return Some(Step::Match(Match {
                first: index,
                last,
                found: Found::Date {
                    start,
                    end: end_day.map(|end| month_date(year, month, Some(end))),
                },
            }));
        }
        if let Some(year) = self.year_at(after)
            && !self.glued_after_year(after)
        {
            let last = self.year_suffix(after + 1).unwrap_or(after);
            return Some(date(index, last, month_date(Some(year), month, None)));
        }
        // A month alone needs a cue: English `in October`, Polish `w październiku`.
        let cue = match form {
            MonthForm::Full => {
                self.t.tokens[index].is_capitalised()
                    && index > 0
                    && self.word_is(index - 1, lexicon::MONTH_CUES)
            }
            MonthForm::Locative => index > 0 && self.word_is(index - 1, &["w"]),
            MonthForm::Bound => false,
        };
        cue.then(|| date(index, last, month_date(None, month, None)))
    }

    /// `ngày 14 tháng 1 năm 2016`, `ngày 14/1/2016`, `ngày 14` (the start of a range).
    fn vietnamese_day(&self, index: usize) -> Option<Step> {
        let day_index = index + 1;
        let day = self.day_at(day_index)?;
        if self.adjacent(day_index) {
            return None;
        }
        if self.t.is_punct(day_index + 1, '/')
            && self.adjacent(day_index + 1)
            && self.adjacent(day_index + 2)
            && let Some(month) = self.month_number_at(day_index + 2)
        {
            let (year, last) = self.vietnamese_year_tail(day_index + 3, day_index + 2);
            if !valid_day(year, month, day) {
                return None;
            }
            return Some(date(index, last, month_date(year, month, Some(day))));
        }
        if self.word_is(day_index + 1, &["tháng"])
            && let Some(month) = self.month_number_at(day_index + 2)
        {
            let (year, last) = self.vietnamese_year_tail(day_index + 3, day_index + 2);
            if !valid_day(year, month, day) {
                return None;
            }
            return Some(date(index, last, month_date(year, month, Some(day))));
        }
        Some(date(index, day_index, day_only(day)))
    }

    /// `tháng 1`, `tháng 10 năm 2016`, `tháng 10/2016`.
    fn vietnamese_month(&self, index: usize) -> Option<Step> {
        let month_index = index + 1;
        let month = self.month_number_at(month_index)?;
        if self.adjacent(month_index)
            || self.glued_after_year(month_index) && !self.t.is_punct(month_index + 1, '/')
        {
            return None;
        }
        let (year, last) = self.vietnamese_year_tail(month_index + 1, month_index);
        Some(date(index, last, month_date(year, month, None)))
    }
}

fn is_hangul(ch: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&ch) || ('\u{1100}'..='\u{11FF}').contains(&ch)
}

/// The TIMEX3 value of counted units: `P5Y`, `P2Y3M`, `PT5H`; days and nights together count
/// the days (`5 ngày 4 đêm` = `P5D`).
fn duration_step(first: usize, last: usize, parts: &[(u32, Unit)]) -> Step {
    let mut years = 0;
    let mut months = 0;
    let mut weeks = 0;
    let mut days = 0;
    let mut nights = 0;
    let mut hours = 0;
    let mut decades = 0;
    for &(value, unit) in parts {
        match unit {
            Unit::Year => years += value,
            Unit::Month => months += value,
            Unit::Week => weeks += value,
            Unit::Day => days += value,
            Unit::Night => nights += value,
            Unit::Hour => hours += value,
            Unit::Decade => decades += value,
        }
    }
    if days == 0 {
        days = nights;
    }
    let mut value = String::from("P");
    for (amount, designator) in [
        (decades, "DE"),
        (years, "Y"),
        (months, "M"),
        (weeks, "W"),
        (days, "D"),
    ] {
        if amount > 0 {
            value.push_str(&amount.to_string());
            value.push_str(designator);
        }
    }
    if hours > 0 {
        value.push_str(&format!("T{hours}H"));
    }
    if value == "P" {
        value.push_str("0D");
    }
    let granularity = match parts[0].1 {
        Unit::Hour => Granularity::Hour,
        Unit::Day | Unit::Night => Granularity::Day,
        Unit::Week => Granularity::Week,
        Unit::Month => Granularity::Month,
        Unit::Year => Granularity::Year,
        Unit::Decade => Granularity::Decade,
    };
    Step::Match(Match {
        first,
        last,
        found: Found::Duration { value, granularity },
    })
}
