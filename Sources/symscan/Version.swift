/// symscan's version: the one place it is written. `--version`, SARIF's `tool.driver.version`
/// and the wheel (scripts/build-wheel asks the built binary) all take it from here; record
/// each release in CHANGELOG.md.
let symscanVersion = "0.1.0"
