//! Organisation rules: English final heads, Vietnamese initial heads, Polish heads with agreeing
//! adjectives, newspaper mastheads, Korean Hangul suffixes, and acronyms linked to full names.

use super::lexicon::{self, Role};
use super::{Context, IN_DATE, IN_LOCALITY, IN_ORGANISATION, IN_PERSON, Name};
use crate::tag::tokens::{TokenKind, slug};

/// Words inside a name that do not count for its acronym.
const ACRONYM_SKIP: &[&str] = &["of", "the", "and", "for", "in", "&"];

/// Finds the organisations and marks their tokens.
pub(super) fn find(context: &mut Context<'_, '_>) -> Vec<Name> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < context.t.len() {
        if context.is_taken(index, IN_DATE | IN_PERSON) {
            index += 1;
            continue;
        }
        match organisation_at(context, index) {
            Some((first, last)) => {
                found.push(context.name(first, last));
                index = last + 1;
            }
            None => index += 1,
        }
    }
    // A later rule may start inside an earlier one's left edge; keep the first of overlaps.
    found.sort_by_key(|n| (n.first, std::cmp::Reverse(n.last)));
    found.dedup_by(|later, earlier| later.first <= earlier.last);
    for name in &found {
        context.mark(name.first, name.last, IN_ORGANISATION);
    }
    let acronyms = acronyms(context, &found);
    for name in &acronyms {
        context.mark(name.first, name.last, IN_ORGANISATION);
    }
    found.extend(acronyms);
    found.sort_by_key(|n| n.first);
    found
}

fn organisation_at(context: &Context<'_, '_>, index: usize) -> Option<(usize, usize)> {
    let token = context.t.get(index)?;
    if token.kind != TokenKind::Word || token.in_url() {
        return None;
    }
    // Most words start no organisation: only a Hangul word (lead bytes of U+A000–U+DFFF), or a
    // capitalised word at the start of a line (a masthead) or starting a lexicon phrase (a
    // head), can; the rules below check the rest.
    let lead = context.t.text.as_bytes()[token.start as usize];
    let hangul = (0xEA..=0xED).contains(&lead);
    let capitalised_start = token.is_capitalised()
        && (token.newline_before() || context.entries.get(index).is_some_and(Option::is_some));
    if !hangul && !capitalised_start {
        return None;
    }
    if let Some(found) = hangul_organisation(context, index) {
        return Some(found);
    }
    if !token.is_capitalised() {
        return None;
    }
    if let Some(found) = masthead(context, index) {
        return Some(found);
    }
    let (role, length) = context.phrase_at(
        index,
        &[Role::FinalHead, Role::InitialHead, Role::PolishHead],
    )?;
    match role {
        Role::FinalHead => final_head(context, index, length),
        Role::InitialHead => initial_head(context, index, length),
        Role::PolishHead => polish_head(context, index),
        Role::Title | Role::TitleModifier => None,
    }
}

/// The first token of the capitalised run that ends just before `index`.
fn walk_left(context: &Context<'_, '_>, index: usize) -> usize {
    let t = context.t;
    let mut first = index;
    while first > 0 && !t.tokens[first].newline_before() {
        let before = first - 1;
        if context.is_taken(before, IN_DATE | IN_PERSON | IN_ORGANISATION) {
            break;
        }
        let token = t.tokens[before];
        let extends = match token.kind {
            TokenKind::Word => {
                context.is_name_word(before)
                    && context
                        .phrase_at(before, &[Role::Title, Role::TitleModifier])
                        .is_none()
            }
            // `Viet Nam-Laos`, `Technicians’ Association`.
            TokenKind::Punct => {
                (context.is_joining_hyphen(before)
                    && before > 0
                    && context.is_name_word(before - 1))
                    || ((t.is_punct(before, '’') || t.is_punct(before, '\''))
                        && !token.space_before()
                        && before > 0
                        && context.is_name_word(before - 1))
            }
            TokenKind::Number => false,
        };
        if !extends {
            break;
        }
        first = before;
    }
    first
}

/// The end of a capitalised run starting at `index` (words joined by spaces or hyphens),
/// at most `max` words; `None` when `index` does not start one.
fn cap_run(context: &Context<'_, '_>, index: usize, max: usize) -> Option<usize> {
    if !context.is_name_word(index) {
        return None;
    }
    let mut last = index;
    let mut words = 1;
    loop {
        let next = last + 1;
        if context.is_joining_hyphen(next) {
            last = next + 1;
            continue;
        }
        if words < max
            && context.is_name_word(next)
            && !context.t.tokens[next].newline_before()
            && !context.is_taken(next, IN_DATE)
        {
            last = next;
            words += 1;
            continue;
        }
        return Some(last);
    }
}

/// `Da Nang People’s Committee`, `Laotian Consulate General in Da Nang`, `University of Hue`.
fn final_head(context: &Context<'_, '_>, head: usize, length: usize) -> Option<(usize, usize)> {
    let first = walk_left(context, head);
    let mut last = head + length - 1;
    let after = last + 1;
    if context.t.is_word_in(after, &["in"])
        && context.t.is_word_in(last, lexicon::IN_PLACE_HEADS)
        && let Some(end) = cap_run(context, after + 1, 4)
    {
        last = end;
    } else if context.t.is_word_in(after, &["of"])
        && let Some(end) = cap_run(context, after + 1, 5)
    {
        last = end;
    }
    // A head alone (`Committee`) is a common noun unless the name continues after it.
    (first < head || last > head + length - 1).then_some((first, last))
}

/// `Trung tâm Hỗ trợ Du khách Đà Nẵng`, `Ủy ban Nhân dân Thành phố Hồ Chí Minh`,
/// `UBND tỉnh Quảng Nam`.
///
/// Vietnamese capitalises the first syllable of each word of a name (`Hỗ trợ`, `Du khách`) and
/// every syllable of a proper name (`Hồ Chí Minh`). So one lower-case syllable may follow a
/// capital that starts a word, but not a capital that continues a proper name: that is where
/// the name ends (`... Hồ Chí Minh để thảo luận`).
fn initial_head(context: &Context<'_, '_>, head: usize, length: usize) -> Option<(usize, usize)> {
    let t = context.t;
    let mut at = head + length;
    let mut last = None;
    let mut lower_allowed = false;
    let mut previous_capital = false;
    let limit = at + 12;
    while at < limit.min(t.len()) {
        let token = t.tokens[at];
        if token.newline_before() || context.is_taken(at, IN_DATE | IN_PERSON) {
            break;
        }
        if token.kind == TokenKind::Word && (token.is_capitalised() || token.is_all_caps()) {
            lower_allowed = !previous_capital;
            previous_capital = true;
            last = Some(at);
            at += 1;
            continue;
        }
        if token.kind == TokenKind::Word && lower_allowed && last == Some(at - 1) {
            lower_allowed = false;
            previous_capital = false;
            last = Some(at);
            at += 1;
            continue;
        }
        // Lower-case administrative words bring the place into the name.
        if token.kind == TokenKind::Word && t.is_word_in(at, lexicon::ADMIN_WORDS) {
            let mut next = at + 1;
            while t.is_word_in(next, lexicon::ADMIN_WORDS) {
                next += 1;
            }
            if context.is_name_word(next) {
                previous_capital = false;
                at = next;
                continue;
            }
        }
        if (t.is_punct(at, '-') || t.is_punct(at, '–'))
            && previous_capital
            && context.is_name_word(at + 1)
        {
            previous_capital = false;
            at += 1;
            continue;
        }
        break;
    }
    // The name must start with a capital right after the head (or after an admin word).
    let last = last?;
    Some((head, last))
}

/// `Miejskiego Komitetu Ludowego`, `Uniwersytet Warszawski`.
fn polish_head(context: &Context<'_, '_>, head: usize) -> Option<(usize, usize)> {
    let t = context.t;
    let is_adjective = |index: usize| {
        context.is_name_word(index)
            && !t.tokens[index].newline_before()
            && context
                .phrase_at(index, &[Role::Title, Role::TitleModifier])
                .is_none()
            && {
                let key = t.key(index);
                lexicon::POLISH_ADJECTIVE_ENDINGS
                    .iter()
                    .any(|ending| key.ends_with(ending) && key.len() > ending.len() + 2)
            }
    };
    let mut first = head;
    while first > 0 && !t.tokens[first].newline_before() && is_adjective(first - 1) {
        first -= 1;
    }
    let mut last = head;
    while is_adjective(last + 1) {
        last += 1;
    }
    (first < head || last > head).then_some((first, last))
}

/// `DA NANG Today`: a line made of a capitalised run ending with a masthead word.
fn masthead(context: &Context<'_, '_>, index: usize) -> Option<(usize, usize)> {
    let t = context.t;
    if !t.tokens[index].newline_before() {
        return None;
    }
    let last = cap_run(context, index, 5)?;
    let line_ends = t.get(last + 1).is_none_or(|next| next.newline_before());
    (last > index && line_ends && t.is_word_in(last, lexicon::MASTHEAD_HEADS))
        .then_some((index, last))
}

/// `대구시청`, `관광 협회`: a Hangul word ending with an organisation suffix.
fn hangul_organisation(context: &Context<'_, '_>, index: usize) -> Option<(usize, usize)> {
    let word = context.t.text_of(index);
    if !word.starts_with(|c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
        return None;
    }
    let suffix = lexicon::HANGUL_HEAD_SUFFIXES
        .iter()
        .find(|suffix| word.ends_with(*suffix))?;
    if word.len() > suffix.len() + 3 {
        return Some((index, index));
    }
    // The suffix written apart (`관광 협회`): take the Hangul word before it.
    let before = index.checked_sub(1)?;
    let before_word = context.t.text_of(before);
    (word.len() == suffix.len()
        && before_word.starts_with(|c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c))
        && !context.is_taken(before, IN_DATE))
    .then_some((before, index))
}

/// Acronyms of the organisations found (`PPC` for `Provincial People's Committee`, `UBND` for
/// `Ủy ban Nhân dân`), and acronyms given in brackets after a name, anywhere in the document.
fn acronyms(context: &Context<'_, '_>, organisations: &[Name]) -> Vec<Name> {
    let t = context.t;
    // Most documents have no all-caps word that could be an acronym: then there is nothing to
    // link and no acronym table to build.
    let candidate = |index: usize| {
        let token = t.tokens[index];
        token.kind == TokenKind::Word
            && token.is_all_caps()
            && !token.in_url()
            && token.len() <= 8
            && !context.is_taken(index, IN_DATE | IN_LOCALITY | IN_ORGANISATION | IN_PERSON)
            // Part of a longer all-caps run (`DA NANG`): a name, not an acronym.
            && !(index > 0 && t.tokens[index - 1].is_all_caps() && !token.space_before())
    };
    let candidates: Vec<usize> = (0..t.len()).filter(|&i| candidate(i)).collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // Only the candidates' texts can be linked: each is compared with the suffixes of every
    // organisation's initials, and no string is built per suffix.
    let mut wanted: Vec<&str> = candidates.iter().map(|&i| t.text_of(i)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    // Per wanted acronym: unseen (`None`), the one norm it abbreviates, or several (`Some(None)`).
    let mut known: Vec<Option<Option<&str>>> = vec![None; wanted.len()];
    for name in organisations {
        // Each word's initial once (folded to ASCII and upper-cased), then every suffix of
        // the list of initials.
        let initials: Vec<(String, bool)> = (name.first..=name.last)
            .filter(|&i| t.tokens[i].kind == TokenKind::Word && !t.is_word_in(i, ACRONYM_SKIP))
            .map(|i| {
                let first = t.text_of(i).chars().take(1).collect::<String>();
                (
                    slug(&first).to_ascii_uppercase(),
                    t.tokens[i].is_capitalised(),
                )
            })
            .collect();
        let words: Vec<&str> = initials.iter().map(|(s, _)| s.as_str()).collect();
        let capitals: Vec<&str> = initials
            .iter()
            .filter(|(_, capital)| *capital)
            .map(|(s, _)| s.as_str())
            .collect();
        for list in [&words, &capitals] {
            for start in 0..list.len() {
                // (Acronyms of fewer than two characters are never linked; the candidates
                // all have two letters or more.)
                link(&mut known, &wanted, &name.norm, |text| {
                    concat_equals(&list[start..], text)
                });
            }
        }
        // `Full Name (ABBR)`.
        if t.is_punct(name.last + 1, '(')
            && t.tokens
                .get(name.last + 2)
                .is_some_and(|tok| tok.is_all_caps())
            && t.is_punct(name.last + 3, ')')
        {
            let abbreviation = t.text_of(name.last + 2);
            link(&mut known, &wanted, &name.norm, |text| text == abbreviation);
        }
    }
    let mut found = Vec::new();
    for index in candidates {
        let slot = wanted
            .binary_search(&t.text_of(index))
            .ok()
            .and_then(|w| known[w]);
        if let Some(Some(norm)) = slot {
            found.push(Name {
                first: index,
                last: index,
                norm: norm.to_owned(),
            });
        }
    }
    found
}

/// Records that the wanted acronyms `abbreviates` accepts stand for the organisation `norm`.
fn link<'n>(
    known: &mut [Option<Option<&'n str>>],
    wanted: &[&str],
    norm: &'n str,
    abbreviates: impl Fn(&str) -> bool,
) {
    for (slot, text) in known.iter_mut().zip(wanted) {
        if !abbreviates(text) {
            continue;
        }
        match slot {
            None => *slot = Some(Some(norm)),
            Some(Some(seen)) if *seen != norm => *slot = Some(None),
            _ => {}
        }
    }
}

/// True when `parts`, concatenated, make `text`.
fn concat_equals(parts: &[&str], text: &str) -> bool {
    let mut rest = text;
    for part in parts {
        match rest.strip_prefix(part) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}
