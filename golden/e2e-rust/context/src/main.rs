//! A tiny program with the standard library only.
fn main() {
    let words: Vec<&str> = "hello from rust".split(' ').collect();
    println!("{} ({} words)", words.join(" ").to_uppercase(), words.len());
}
