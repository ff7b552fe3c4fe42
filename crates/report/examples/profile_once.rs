//! Reads and checks every test report a few times: a fixed workload for profilers
//! (`valgrind --tool=callgrind target/release/examples/profile_once`).

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir)
        .unwrap()
        .chain(std::fs::read_dir(format!("{dir}/fragments")).unwrap())
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt" || e == "html") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    for _ in 0..20 {
        for text in &texts {
            std::hint::black_box(gongkai_report::assess(text, None));
        }
    }
}
