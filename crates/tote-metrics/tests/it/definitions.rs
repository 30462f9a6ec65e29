//! One definition per metric: every row of DOMAIN.md's Metrics table must appear,
//! word for word, as the doc comment of the type that computes it. Reads DOMAIN.md
//! from the shared folder beside the repository; says so and passes when absent.

const SOURCES: [&str; 5] = [
    include_str!("../../src/orders.rs"),
    include_str!("../../src/shipments.rs"),
    include_str!("../../src/backlog.rs"),
    include_str!("../../src/inventory.rs"),
    include_str!("../../src/cost.rs"),
];
const RETURNS: &str = include_str!("../../src/returns.rs");

fn metric_rows(domain: &str) -> Vec<(String, String)> {
    let table = domain
        .split("## Metrics")
        .nth(1)
        .expect("DOMAIN.md has a Metrics section");
    table
        .lines()
        .skip_while(|line| !line.starts_with("| ---"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].to_string(), cells[2].to_string())
        })
        .collect()
}

#[test]
fn every_domain_metric_definition_is_a_doc_comment_word_for_word() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/DOMAIN.md");
    let Ok(domain) = std::fs::read_to_string(path) else {
        eprintln!("{path} not found: definitions not checked");
        return;
    };
    let source: String = SOURCES.concat() + RETURNS;
    let rows = metric_rows(&domain);
    assert_eq!(rows.len(), 20, "DOMAIN.md lists {} metrics", rows.len());
    for (name, definition) in rows {
        // Inventory turns and days of supply share a row but are two types.
        let expected: Vec<String> = match definition.split_once("; days of supply") {
            Some((turns, supply)) => vec![
                format!("/// {name}: {turns}"),
                format!("/// days of supply{supply}"),
            ],
            None => vec![format!("/// {name}: {definition}")],
        };
        for line in expected {
            assert!(source.contains(&line), "no doc comment reads `{line}`");
        }
    }
}
