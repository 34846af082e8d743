//! `orch-gen DIR COUNT`: writes a generated data directory.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: orch-gen DIR COUNT");
        std::process::exit(2);
    };
    orch_bench::generate::data_dir(std::path::Path::new(&dir), count.parse().expect("COUNT")).unwrap();
}
