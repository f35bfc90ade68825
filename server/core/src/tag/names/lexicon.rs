//! The words of the person and organisation rules, per language: titles, head words, surnames.
//!
//! Plain data: adding a language or a title is adding rows. Entries are written in lower case;
//! multi-word entries are separated by single spaces and matched token by token.

use std::sync::OnceLock;

use crate::tag::tokens::{Lexicon, entry_words};

/// Titles and forms of address that come before a person's name. The title is not part of the
/// person span (`Chairman Huynh Duc Tho` → `Huynh Duc Tho`).
const TITLES: &[&str] = &[
    // English.
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "madam",
    "chairman",
    "chairwoman",
    "chairperson",
    "president",
    "mayor",
    "governor",
    "minister",
    "prime minister",
    "foreign minister",
    "ambassador",
    "consul",
    "consul general",
    "secretary",
    "secretary general",
    "party secretary",
    "director",
    "director general",
    "general director",
    "general",
    "colonel",
    "senator",
    "congressman",
    "congresswoman",
    "chief",
    "king",
    "queen",
    "prince",
    "princess",
    "premier",
    "chancellor",
    "commissioner",
    "rector",
    "principal",
    "ceo",
    "chair",
    "vice-chairman",
    "vice-president",
    "vice-mayor",
    // Vietnamese.
    "ông",
    "bà",
    "chủ tịch",
    "thị trưởng",
    "tỉnh trưởng",
    "thống đốc",
    "thủ tướng",
    "tổng thống",
    "bộ trưởng",
    "thứ trưởng",
    "đại sứ",
    "tổng lãnh sự",
    "lãnh sự",
    "giám đốc",
    "tổng giám đốc",
    "bí thư",
    "tổng bí thư",
    "chủ nhiệm",
    "trưởng ban",
    "hiệu trưởng",
    "viện trưởng",
    "giáo sư",
    "tiến sĩ",
    "gs",
    "ts",
    "pgs",
    "bác sĩ",
    "đồng chí",
    "đại tướng",
    "thượng tướng",
    "trung tướng",
    "thiếu tướng",
    "đại tá",
    "chủ tịch ubnd",
    "chủ tịch nước",
    "chủ tịch quốc hội",
    // Polish (with the inflected forms met in running text).
    "pan",
    "pani",
    "pana",
    "panią",
    "panem",
    "przewodniczący",
    "przewodnicząca",
    "przewodniczącego",
    "przewodniczącym",
    "gubernator",
    "gubernatora",
    "gubernatorem",
    "burmistrz",
    "burmistrza",
    "prezydent",
    "prezydenta",
    "premier",
    "premiera",
    "wicepremier",
    "minister",
    "ministra",
    "ambasador",
    "ambasadora",
    "konsul",
    "dyrektor",
    "dyrektora",
    "prezes",
    "prezesa",
    "wojewoda",
    "marszałek",
    "starosta",
    "wójt",
    "profesor",
    "doktor",
    "sekretarz",
    "rektor",
    "poseł",
    "posłanka",
    "wiceprzewodniczący",
    "wicegubernator",
    "wiceburmistrz",
];

/// Words that modify a title and can repeat (`Phó Phó Thủ tướng`, `Acting Mayor`).
const TITLE_MODIFIERS: &[&str] = &[
    "vice", "deputy", "acting", "former", "late", "phó", "quyền", "nguyên", "cố", "p.o", "były",
    "była",
];

/// English head words that end an organisation name (`... Friendship Association`).
const FINAL_HEADS: &[&str] = &[
    "committee",
    "association",
    "college",
    "university",
    "center",
    "centre",
    "institute",
    "council",
    "company",
    "corporation",
    "corp",
    "bank",
    "ministry",
    "department",
    "agency",
    "authority",
    "union",
    "federation",
    "foundation",
    "organization",
    "organisation",
    "club",
    "hospital",
    "school",
    "academy",
    "party",
    "assembly",
    "consulate",
    "consulate general",
    "embassy",
    "fund",
    "bureau",
    "commission",
    "society",
    "chamber of commerce",
    "court",
    "office",
    "administration",
    "cooperative",
    "alliance",
    "network",
    "partnership",
];

/// Heads after which `in` + a place still belongs to the name
/// (`Laotian Consulate General in Da Nang`).
pub(crate) const IN_PLACE_HEADS: &[&str] = &["consulate", "general", "embassy", "office"];

/// Heads of newspaper mastheads (`DA NANG Today`): only a whole line counts.
pub(crate) const MASTHEAD_HEADS: &[&str] = &[
    "today", "times", "news", "post", "herald", "tribune", "gazette", "journal", "daily",
];

/// Vietnamese head words that start an organisation name (`Trung tâm Hỗ trợ Du khách Đà Nẵng`).
const INITIAL_HEADS: &[&str] = &[
    "ủy ban nhân dân",
    "uỷ ban nhân dân",
    "ubnd",
    "hội đồng nhân dân",
    "hđnd",
    "trường đại học",
    "đại học",
    "học viện",
    "trường",
    "trung tâm",
    "hội",
    "hiệp hội",
    "liên hiệp",
    "liên đoàn",
    "sở",
    "bộ",
    "viện",
    "công ty",
    "tổng công ty",
    "tập đoàn",
    "ngân hàng",
    "bệnh viện",
    "cục",
    "tổng cục",
    "chi cục",
    "đài",
    "báo",
    "tạp chí",
    "đại sứ quán",
    "tổng lãnh sự quán",
    "lãnh sự quán",
    "quốc hội",
    "đảng",
    "văn phòng",
    "quỹ",
    "câu lạc bộ",
    "công an",
    "nhà xuất bản",
    "thông tấn xã",
    "hợp tác xã",
    "ủy ban",
    "uỷ ban",
];

/// Vietnamese administrative words that may follow a head in lower case and bring a place into
/// the name (`Ủy ban nhân dân tỉnh Quảng Nam`).
pub(crate) const ADMIN_WORDS: &[&str] = &[
    "tỉnh",
    "thành",
    "phố",
    "tp",
    "huyện",
    "quận",
    "xã",
    "phường",
    "thị",
    "trấn",
];

/// Polish head words, in the case forms met in running text; the name is built around them
/// from capitalised adjectives (`Miejskiego Komitetu Ludowego`).
const POLISH_HEADS: &[&str] = &[
    "komitet",
    "komitetu",
    "komitetowi",
    "komitetem",
    "komitecie",
    "urząd",
    "urzędu",
    "urzędzie",
    "uniwersytet",
    "uniwersytetu",
    "uniwersytecie",
    "stowarzyszenie",
    "stowarzyszenia",
    "związek",
    "związku",
    "rada",
    "rady",
    "radzie",
    "radę",
    "ministerstwo",
    "ministerstwa",
    "ministerstwie",
    "ambasada",
    "ambasady",
    "ambasadzie",
    "konsulat",
    "konsulatu",
    "towarzystwo",
    "towarzystwa",
    "fundacja",
    "fundacji",
    "instytut",
    "instytutu",
    "akademia",
    "akademii",
    "izba",
    "izby",
    "agencja",
    "agencji",
    "departament",
    "departamentu",
];

/// Endings of Polish adjectives that agree with a head (`Miejskiego`, `Ludowy`, `Warszawski`).
pub(crate) const POLISH_ADJECTIVE_ENDINGS: &[&str] = &[
    "ego", "emu", "ej", "ym", "ymi", "ych", "ich", "imi", "ny", "na", "ne", "ski", "ska", "skie",
    "cki", "cka", "ckie", "wy", "wa", "we", "owy", "owa", "owe", "ową", "ną", "ską",
];

/// Korean head suffixes of organisation names written in Hangul (`대구시청`, `관광협회`).
pub(crate) const HANGUL_HEAD_SUFFIXES: &[&str] = &[
    "위원회",
    "협회",
    "대학교",
    "센터",
    "시청",
    "도청",
    "재단",
    "공사",
    "은행",
    "연구원",
    "청",
];

/// Capitalised words that begin sentences and never begin a name.
const NOT_NAME_START: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "from",
    "of",
    "with",
    "for",
    "by",
    "and",
    "but",
    "also",
    "both",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "my",
    "your",
    "meanwhile",
    "moreover",
    "furthermore",
    "however",
    "representatives",
    "leaders",
    "tại",
    "với",
    "của",
    "và",
    "các",
    "những",
    "theo",
    "trong",
    "w",
    "z",
    "na",
    "do",
    "od",
    "oraz",
];

/// Vietnamese family names (with and without diacritics).
const VIETNAMESE_SURNAMES: &[&str] = &[
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ",
    "hồ", "ngô", "dương", "lý", "đinh", "đoàn", "trương", "lâm", "mai", "trịnh", "lương", "cao",
    "tạ", "hà", "tô", "châu", "thái", "kiều", "lưu", "văn", "nguyen", "tran", "le", "pham",
    "hoang", "huynh", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "dinh", "doan",
    "truong", "lam", "trinh", "luong", "ta", "ha", "to", "chau", "thai", "kieu", "luu",
];

/// Korean family names in their usual romanisations.
const KOREAN_SURNAMES: &[&str] = &[
    "kim", "lee", "yi", "park", "pak", "choi", "choe", "jung", "jeong", "chung", "kang", "cho",
    "jo", "yoon", "yun", "jang", "chang", "lim", "im", "han", "oh", "seo", "suh", "shin", "sin",
    "kwon", "hwang", "ahn", "an", "song", "yoo", "yu", "ryu", "hong", "jeon", "chun", "ko", "go",
    "moon", "mun", "yang", "son", "bae", "baek", "paik", "heo", "huh", "nam", "sim", "shim", "noh",
    "roh", "ha", "kwak", "sung", "seong", "cha", "joo", "ju", "woo", "koo", "ku", "min", "na",
    "jin", "ji", "chae", "won", "bang", "gong", "hyun", "ham", "byun", "yeom", "yeo", "chu", "do",
    "seok", "sul", "ma", "gil", "wi", "pyo", "myung", "ki", "ban", "ra", "wang", "geum", "ok",
    "yuk", "maeng", "je", "mo", "tak", "kook",
];

/// What one word of the name rules can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Title,
    TitleModifier,
    FinalHead,
    InitialHead,
    PolishHead,
}

/// Multi-word entries keyed by their first word.
pub(crate) struct Phrases {
    pub by_first: Lexicon<Vec<(Vec<Box<str>>, Role)>>,
    pub vietnamese_surnames: Lexicon<()>,
    pub korean_surnames: Lexicon<()>,
    pub not_name_start: Lexicon<()>,
}

/// The phrase table, built once.
pub(crate) fn phrases() -> &'static Phrases {
    static PHRASES: OnceLock<Phrases> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut by_first: Lexicon<Vec<(Vec<Box<str>>, Role)>> = Lexicon::default();
        let tables: [(&[&str], Role); 5] = [
            (TITLES, Role::Title),
            (TITLE_MODIFIERS, Role::TitleModifier),
            (FINAL_HEADS, Role::FinalHead),
            (INITIAL_HEADS, Role::InitialHead),
            (POLISH_HEADS, Role::PolishHead),
        ];
        for (table, role) in tables {
            for entry in table {
                let words = entry_words(entry);
                let first = words[0].clone();
                by_first.entry(first).or_default().push((words, role));
            }
        }
        // Longest phrases first, so that `consulate general` wins over `consulate`.
        for list in by_first.values_mut() {
            list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        let set = |table: &[&str]| {
            table
                .iter()
                .map(|w| (entry_words(w).remove(0), ()))
                .collect::<Lexicon<()>>()
        };
        Phrases {
            by_first,
            vietnamese_surnames: set(VIETNAMESE_SURNAMES),
            korean_surnames: set(KOREAN_SURNAMES),
            not_name_start: set(NOT_NAME_START),
        }
    })
}
