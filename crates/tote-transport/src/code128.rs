//! Code 128 bar patterns, for drawing barcodes in PDF documents (thermal
//! printers draw their own from ZPL). GS1-128 is Code 128 with FNC1 first.

/// Module widths, bar first, of symbols 0..=105 (105 = Start C, 104 = Start B);
/// the stop pattern has seven elements.
const PATTERNS: [&str; 106] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232",
];
const STOP: &str = "2331112";
const START_B: u8 = 104;
const START_C: u8 = 105;
const CODE_B: u8 = 100;
const CODE_C: u8 = 99;
const FNC1: u8 = 102;

/// Symbol values for `text` (printable ASCII), using code set C for runs of
/// four or more digits (two digits a symbol) and B otherwise, with the
/// check symbol appended. `gs1` puts FNC1 after the start (GS1-128).
/// `None` if `text` holds a character Code 128 B cannot carry.
pub fn encode(text: &str, gs1: bool) -> Option<Vec<u8>> {
    let b = text.as_bytes();
    if b.iter().any(|c| !(32..=126).contains(c)) {
        return None;
    }
    let digit_run = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut out = Vec::with_capacity(b.len() + 4);
    let mut in_c = digit_run(0) >= 4
        || (digit_run(0) == b.len() && b.len().is_multiple_of(2) && !b.is_empty());
    out.push(if in_c { START_C } else { START_B });
    if gs1 {
        out.push(FNC1);
    }
    let mut i = 0;
    while i < b.len() {
        let run = digit_run(i);
        if in_c {
            if run >= 2 {
                out.push((b[i] - b'0') * 10 + (b[i + 1] - b'0'));
                i += 2;
                continue;
            }
            out.push(CODE_B);
            in_c = false;
        } else if run >= 4 && (run.is_multiple_of(2) || i + run < b.len()) {
            // An odd run switches after its first digit so the rest pairs up.
            if !run.is_multiple_of(2) {
                out.push(b[i] - 32);
                i += 1;
            }
            out.push(CODE_C);
            in_c = true;
            continue;
        }
        out.push(b[i] - 32);
        i += 1;
    }
    let check = out
        .iter()
        .enumerate()
        .map(|(k, &v)| v as u32 * (k.max(1) as u32))
        .sum::<u32>()
        % 103;
    out.push(check as u8);
    Some(out)
}

/// Bar and space widths in modules, bar first, including the stop pattern.
pub fn widths(symbols: &[u8]) -> Vec<u8> {
    let mut w = Vec::with_capacity(symbols.len() * 6 + 7);
    for &s in symbols {
        w.extend(PATTERNS[s as usize].bytes().map(|c| c - b'0'));
    }
    w.extend(STOP.bytes().map(|c| c - b'0'));
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_eleven_modules_with_an_even_bar_sum() {
        for (i, p) in PATTERNS.iter().enumerate() {
            let w: Vec<u32> = p.bytes().map(|c| (c - b'0') as u32).collect();
            assert_eq!(w.iter().sum::<u32>(), 11, "pattern {i}");
            assert_eq!((w[0] + w[2] + w[4]) % 2, 0, "pattern {i} bar parity");
        }
        let mut sorted = PATTERNS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), PATTERNS.len(), "patterns are distinct");
    }

    #[test]
    fn gs1_128_sscc_is_start_c_fnc1_then_digit_pairs() {
        // "00106141411234567897": ten pairs after Start C (105) and FNC1 (102).
        let s = encode("00106141411234567897", true).expect("digits");
        assert_eq!(&s[..4], &[105, 102, 0, 10]);
        assert_eq!(s.len(), 2 + 10 + 1);
        // Check: 105 + 1x102 + 2x0 + 3x10 + 4x61 + 5x41 + 6x41 + 7x12 + 8x34 + 9x56 + 10x78 + 11x97
        let expected = (105
            + 102
            + 30
            + 4 * 61
            + 5 * 41
            + 6 * 41
            + 7 * 12
            + 8 * 34
            + 9 * 56
            + 10 * 78
            + 11 * 97)
            % 103;
        assert_eq!(*s.last().expect("check") as u32, expected);
    }

    #[test]
    fn text_uses_code_b() {
        // "PX1": Start B, P=48, X=56, 1=17; check (104 + 48 + 2x56 + 3x17) % 103 = 315 % 103 = 6.
        assert_eq!(encode("PX1", false), Some(vec![104, 48, 56, 17, 6]));
        assert_eq!(encode("é", false), None);
    }

    #[test]
    fn widths_end_with_the_stop_pattern() {
        let w = widths(&encode("AB", false).expect("ascii"));
        assert_eq!(w.iter().map(|&x| x as u32).sum::<u32>(), 11 * 4 + 13);
    }
}
