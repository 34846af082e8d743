[package]
name = "strict_cases"
version = "0.1.0"

[dependencies]
k8s = "1.31"
