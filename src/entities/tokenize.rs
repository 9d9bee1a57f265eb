//! Word and sentence tokenisation for news text, in the style of CoNLL-2003
//! (Penn Treebank conventions): punctuation is split off, clitics become
//! tokens of their own ("Barnea's" → "Barnea" "'s", "don't" → "do" "n't"),
//! but abbreviations ("U.S.", "Mr.", "Jan."), initials ("J."), hyphenated
//! names ("Al-Thani"), "O'Neill" and numbers ("28,000", "3.5") stay whole.
//!
//! It is separate from detection because the statistical tagger and the
//! heuristic detector need exactly the same tokens (the tagger's training
//! data is tokenised this way), and tokens carry byte offsets into the input
//! so that mentions can point back into the original text.
//!
//! The scan is a single left-to-right pass over whitespace-separated chunks
//! with a few look-ups in small constant tables: linear, no regular
//! expressions, no allocation per token beyond the output vectors. Curly
//! quotes and apostrophes (’ ‘ “ ”) are treated exactly like ASCII ones; token
//! text is always a slice of the input, so it keeps the original characters.

use std::ops::Range;

/// One token: a slice of the input and its byte offsets (`text ==
/// &input[start..end]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Splits `text` into sentences of tokens.
///
/// A sentence ends after `.`, `!`, `?` or `...` (plus any closing quotes or
/// brackets) unless the next token starts with a lower-case letter, and at
/// every blank line. Abbreviations keep their period and do not end a
/// sentence, except that "U.S.", "Inc.", "etc." and the like do when the next
/// word is one that typically opens a sentence ("The", "He", "But"…).
pub fn tokenize(text: &str) -> Vec<Vec<Token<'_>>> {
    let (tokens, breaks) = scan(text);
    let mut sentences = Vec::new();
    for range in sentence_ranges(&tokens, &breaks) {
        sentences.push(tokens[range].to_vec());
    }
    sentences
}

/// Tokens of `text` without sentence structure.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    scan(text).0
}

/// Byte ranges of the sentences of `text` (from the first token's start to
/// the last token's end), for callers that need sentences but not tokens.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let (tokens, breaks) = scan(text);
    sentence_ranges(&tokens, &breaks)
        .into_iter()
        .map(|r| tokens[r.start].start..tokens[r.end - 1].end)
        .collect()
}

/// Tokenises and records, per token, whether a blank line precedes it.
fn scan(text: &str) -> (Vec<Token<'_>>, Vec<bool>) {
    // News text averages about six bytes per token.
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut breaks = Vec::with_capacity(text.len() / 5 + 1);
    let mut newlines = 0usize;
    let mut chunk_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = chunk_start.take() {
                push_chunk(text, s, i, newlines >= 2, &mut tokens, &mut breaks);
                newlines = 0;
            }
            if c == '\n' {
                newlines += 1;
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        push_chunk(text, s, text.len(), newlines >= 2, &mut tokens, &mut breaks);
    }
    (tokens, breaks)
}

/// Splits one whitespace-free chunk into tokens.
fn push_chunk<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    blank_line_before: bool,
    tokens: &mut Vec<Token<'a>>,
    breaks: &mut Vec<bool>,
) {
    let first = tokens.len();
    let chunk = &text[start..end];
    // First pass: characters that are always tokens of their own, wherever
    // they are in the chunk. What lies between them is a "piece".
    let mut piece_start = start;
    let mut iter = chunk.char_indices().peekable();
    while let Some((off, c)) = iter.next() {
        let at = start + off;
        let next = iter.peek().map(|&(_, n)| n);
        let prev = text[..at].chars().next_back();
        let hard = match c {
            // Angle brackets too: Reuters writes company names and tickers
            // as "<Montrose Holding Co>" and "<NIXG.F>".
            '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '"' | '“' | '”' | '„' | '«' | '»'
            | ';' | '!' | '?' | '…' | '—' | '–' => true,
            // "10:30" and "http://" keep their colon.
            ':' => !(is_digit(prev) && is_digit(next)) && next != Some('/'),
            // "28,000" keeps its comma.
            ',' => !(is_digit(prev) && is_digit(next)),
            // "--" is a dash; a single hyphen joins ("Al-Thani").
            '-' => next == Some('-'),
            _ => false,
        };
        if hard {
            split_piece(text, piece_start, at, tokens);
            let len = if c == '-' {
                iter.next(); // the second hyphen of "--"
                2
            } else {
                c.len_utf8()
            };
            tokens.push(token(text, at, at + len));
            piece_start = at + len;
        }
    }
    split_piece(text, piece_start, end, tokens);
    for i in first..tokens.len() {
        breaks.push(blank_line_before && i == first);
    }
}

fn is_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

fn token(text: &str, start: usize, end: usize) -> Token<'_> {
    Token {
        text: &text[start..end],
        start,
        end,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`')
}

/// Splits a piece (no whitespace, no hard punctuation) into opening quotes
/// and currency signs, the word, clitics, and closing quotes, periods and
/// percent signs.
fn split_piece<'a>(text: &'a str, mut start: usize, mut end: usize, tokens: &mut Vec<Token<'a>>) {
    if start >= end {
        return;
    }
    // A clitic written apart ("Barnea 's") is already a token.
    if is_clitic(&text[start..end]) {
        tokens.push(token(text, start, end));
        return;
    }
    // Opening apostrophes/backquotes, unless they start a year ("'90s").
    while let Some(c) = text[start..end].chars().next() {
        let rest = &text[start + c.len_utf8()..end];
        let opening = is_apostrophe(c) && !rest.starts_with(|d: char| d.is_ascii_digit());
        let currency = matches!(c, '$' | '€' | '£' | '¥') && !rest.is_empty();
        if opening || currency || c == '#' && rest.starts_with(|d: char| d.is_ascii_digit()) {
            tokens.push(token(text, start, start + c.len_utf8()));
            start += c.len_utf8();
        } else {
            break;
        }
    }
    // Closing material is collected right to left, then emitted in order.
    let mut tail: Vec<(usize, usize)> = Vec::new();
    loop {
        let piece = &text[start..end];
        let Some(last) = piece.chars().next_back() else {
            break;
        };
        if piece.len() > last.len_utf8() && (last == '%' || is_apostrophe(last)) {
            // "3.5%" → "3.5" "%"; "parents'" → "parents" "'".
            let at = end - last.len_utf8();
            tail.push((at, end));
            end = at;
        } else if last == '.' {
            if piece.chars().all(|c| c == '.') {
                break; // "." or "..." alone
            }
            if piece.ends_with("...") {
                tail.push((end - 3, end));
                end -= 3;
            } else if is_abbreviation(piece) {
                break;
            } else {
                tail.push((end - 1, end));
                end -= 1;
            }
        } else {
            break;
        }
    }
    if start < end {
        split_clitic(text, start, end, tokens);
    }
    for &(s, e) in tail.iter().rev() {
        tokens.push(token(text, s, e));
    }
}

/// Clitics of English, with either apostrophe.
const CLITICS: &[&str] = &[
    "s", "S", "m", "M", "d", "D", "re", "RE", "ve", "VE", "ll", "LL",
];

fn is_clitic(s: &str) -> bool {
    if let Some(rest) = strip_apostrophe(s) {
        return CLITICS.contains(&rest);
    }
    matches!(s, "n't" | "N'T" | "n’t" | "N’T")
}

fn strip_apostrophe(s: &str) -> Option<&str> {
    s.strip_prefix('\'').or_else(|| s.strip_prefix('’'))
}

/// "Barnea's" → "Barnea" "'s", "don't" → "do" "n't", but "O'Neill" whole.
fn split_clitic<'a>(text: &'a str, start: usize, end: usize, tokens: &mut Vec<Token<'a>>) {
    let word = &text[start..end];
    for nt in ["n't", "N'T", "n’t", "N’T"] {
        if word.len() > nt.len() && word.ends_with(nt) {
            let at = end - nt.len();
            tokens.push(token(text, start, at));
            tokens.push(token(text, at, end));
            return;
        }
    }
    // The last apostrophe followed by a clitic, with a word before it.
    if let Some(pos) = word.rfind(['\'', '’']) {
        if pos > 0 && is_clitic(&word[pos..]) {
            tokens.push(token(text, start, start + pos));
            tokens.push(token(text, start + pos, end));
            return;
        }
    }
    tokens.push(token(text, start, end));
}

/// Abbreviations that keep their period. Titles, months and the like never
/// end a sentence (see [`NEVER_FINAL`]); the others may.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft", "Gen", "Col", "Lt", "Sgt",
    "Capt", "Cmdr", "Adm", "Maj", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Messrs", "Mme",
    "Inc", "Corp", "Co", "Ltd", "Bros", "Cos", "No", "Nos", "vs", "etc", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Tues", "Wed",
    "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", "Ave", "Blvd", "Rd", "Dept", "Univ", "Assn",
    "approx", "est", "fig", "ca", "cf", "al", "Calif", "Fla", "Ill", "Mass", "Mich", "Minn",
    "Penn", "Tenn", "Tex", "Va", "Wash", "Wis", "Ariz", "Ark", "Colo", "Conn", "Del", "Ga", "Ind",
    "Kan", "Ky", "La", "Md", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Vt", "Wyo",
];

/// Abbreviations after which a sentence never ends: a name or a number
/// always follows them.
const NEVER_FINAL: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "Ft", "Gen", "Col", "Lt", "Sgt", "Capt", "Cmdr",
    "Adm", "Maj", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Messrs", "Mme", "No", "Nos", "vs",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "cf",
];

/// Does `piece` (ending with '.') keep its period?
fn is_abbreviation(piece: &str) -> bool {
    let body = &piece[..piece.len() - 1];
    if ABBREVIATIONS.contains(&body) {
        return true;
    }
    // Initials: "J."
    let mut chars = body.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_alphabetic();
    }
    // Letter-period sequences: "U.S", "U.N", "a.m", "e.g", "D.C", "U.S.A".
    is_dotted(body)
}

/// "U.S", "a.m", "i.e": single letters separated by periods.
fn is_dotted(body: &str) -> bool {
    let b = body.as_bytes();
    b.len() >= 3
        && b.iter().enumerate().all(|(i, &c)| {
            if i % 2 == 0 {
                c.is_ascii_alphabetic()
            } else {
                c == b'.'
            }
        })
}

/// Words that typically open a sentence: after "U.S." or "Inc." they show
/// that the period also ended the sentence.
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "Yet",
    "So",
    "In",
    "On",
    "At",
    "For",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "However",
    "Meanwhile",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "Some",
    "Many",
    "Most",
    "No",
    "Not",
    "As",
    "Also",
    "Since",
    "Although",
    "Officials",
    "Analysts",
];

/// Groups token indices into sentences.
fn sentence_ranges(tokens: &[Token<'_>], breaks: &[bool]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        if breaks[i] && i > start {
            out.push(start..i);
            start = i;
        }
        let t = tokens[i].text;
        let terminal = matches!(t, "." | "!" | "?" | "..." | "…") || t.chars().all(|c| c == '.');
        let abbreviation = !terminal && t.len() > 1 && t.ends_with('.');
        if terminal || abbreviation {
            // Closing quotes and brackets belong to the ending sentence.
            let mut j = i + 1;
            while j < tokens.len() && !breaks[j] && is_closer(&tokens[j - 1], &tokens[j]) {
                j += 1;
            }
            let ends = match tokens.get(j) {
                None => false,
                Some(_) if breaks[j] => false, // handled at the top of the loop
                Some(next) if terminal => !continues_sentence(next.text),
                Some(next) => {
                    let body = &t[..t.len() - 1];
                    !NEVER_FINAL.contains(&body)
                        && body.chars().count() != 1
                        && SENTENCE_OPENERS.contains(&next.text)
                }
            };
            if ends {
                out.push(start..j);
                start = j;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// Is `t` a closing quote or bracket? An ASCII quote closes only when it is
/// attached to the token before it (`said."` closes, `. "Go` opens).
fn is_closer(prev: &Token<'_>, t: &Token<'_>) -> bool {
    match t.text {
        "\"" | "'" => t.start == prev.end,
        "”" | "’" | ")" | "]" | "}" | "»" => true,
        _ => false,
    }
}

/// A token that cannot start a sentence: lower-case words, and punctuation
/// that continues the current one.
fn continues_sentence(t: &str) -> bool {
    match t.chars().next() {
        Some(c) if c.is_lowercase() => true,
        Some(',' | ';' | ':' | '%' | ')' | '-') => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokens(text).iter().map(|t| t.text).collect()
    }

    fn sents(text: &str) -> Vec<Vec<&str>> {
        tokenize(text)
            .iter()
            .map(|s| s.iter().map(|t| t.text).collect())
            .collect()
    }

    #[test]
    fn offsets_point_into_the_input() {
        let text = "  “Barnea’s” plan,\n costs $3.5%. ";
        for t in tokens(text) {
            assert_eq!(&text[t.start..t.end], t.text);
        }
    }

    #[test]
    fn punctuation_is_split_off() {
        assert_eq!(
            words("Cairo, Egypt; (Reuters) \"Yes!\" he said: no?"),
            [
                "Cairo", ",", "Egypt", ";", "(", "Reuters", ")", "\"", "Yes", "!", "\"", "he",
                "said", ":", "no", "?"
            ]
        );
    }

    #[test]
    fn possessives_and_contractions_are_clitics() {
        assert_eq!(words("Barnea's plan"), ["Barnea", "'s", "plan"]);
        assert_eq!(words("don't, can't"), ["do", "n't", ",", "ca", "n't"]);
        assert_eq!(
            words("they're we've I'm"),
            ["they", "'re", "we", "'ve", "I", "'m"]
        );
        assert_eq!(
            words("the parents' homes"),
            ["the", "parents", "'", "homes"]
        );
    }

    #[test]
    fn curly_apostrophes_and_quotes_behave_like_ascii() {
        assert_eq!(words("Barnea’s plan"), ["Barnea", "’s", "plan"]);
        assert_eq!(words("don’t"), ["do", "n’t"]);
        assert_eq!(
            words("“We’ll see,” he said"),
            ["“", "We", "’ll", "see", ",", "”", "he", "said"]
        );
        assert_eq!(words("‘quoted’ word"), ["‘", "quoted", "’", "word"]);
    }

    #[test]
    fn names_stay_whole() {
        assert_eq!(
            words("Mohammed bin Abdulrahman Al-Thani met O'Neill and O’Brien"),
            [
                "Mohammed",
                "bin",
                "Abdulrahman",
                "Al-Thani",
                "met",
                "O'Neill",
                "and",
                "O’Brien"
            ]
        );
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            words("Mr. Burns and Dr. Smith of the U.S. and U.N. at 9 a.m."),
            [
                "Mr.", "Burns", "and", "Dr.", "Smith", "of", "the", "U.S.", "and", "U.N.", "at",
                "9", "a.m."
            ]
        );
        assert_eq!(
            words("J. Smith on Jan. 5"),
            ["J.", "Smith", "on", "Jan.", "5"]
        );
    }

    #[test]
    fn numbers_and_percent() {
        assert_eq!(
            words("over 28,000 people, 3.5% and $1.2 billion at 10:30."),
            [
                "over", "28,000", "people", ",", "3.5", "%", "and", "$", "1.2", "billion", "at",
                "10:30", "."
            ]
        );
    }

    #[test]
    fn dashes() {
        assert_eq!(
            words("Cairo -- the capital—said so - twice"),
            ["Cairo", "--", "the", "capital", "—", "said", "so", "-", "twice"]
        );
        assert_eq!(
            words("de-escalating U.S.-led"),
            ["de-escalating", "U.S.-led"]
        );
    }

    #[test]
    fn ellipsis() {
        assert_eq!(words("wait... and ..."), ["wait", "...", "and", "..."]);
    }

    #[test]
    fn sentences_split_at_terminal_punctuation() {
        assert_eq!(
            sents("He left. She stayed! Why? \"Go.\" Then"),
            vec![
                vec!["He", "left", "."],
                vec!["She", "stayed", "!"],
                vec!["Why", "?"],
                vec!["\"", "Go", ".", "\""],
                vec!["Then"],
            ]
        );
    }

    #[test]
    fn sentences_do_not_split_after_abbreviations() {
        assert_eq!(
            sents("Mr. Burns met Dr. Smith. U.S. officials and J. Smith met on Jan. 5 in Cairo."),
            vec![
                vec!["Mr.", "Burns", "met", "Dr.", "Smith", "."],
                vec![
                    "U.S.",
                    "officials",
                    "and",
                    "J.",
                    "Smith",
                    "met",
                    "on",
                    "Jan.",
                    "5",
                    "in",
                    "Cairo",
                    "."
                ],
            ]
        );
        // ... but "U.S." can end a sentence when a typical opener follows.
        assert_eq!(
            sents("He flew to the U.S. The talks failed."),
            vec![
                vec!["He", "flew", "to", "the", "U.S."],
                vec!["The", "talks", "failed", "."]
            ]
        );
        // Lower case after a period: no split ("e.g." style or typos).
        assert_eq!(sents("It rose 5 p.m. today.").len(), 1);
    }

    #[test]
    fn blank_lines_end_sentences() {
        assert_eq!(
            sents("Talks In Cairo\n\nThe meeting\nwent on"),
            vec![
                vec!["Talks", "In", "Cairo"],
                vec!["The", "meeting", "went", "on"]
            ]
        );
    }

    #[test]
    fn sentence_ranges_are_byte_ranges() {
        let text = "One. Two three.";
        assert_eq!(sentences(text), vec![0..4, 5..15]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "", " ", "'", "’", "...", "'s", "$", "%", "--", "a.", ".a", "é.", "“”", "n't", "x'",
        ] {
            let _ = tokenize(text);
        }
    }
}
