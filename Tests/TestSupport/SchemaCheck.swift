import Foundation
import XCTest

/// Validates symscan's JSON against schema/symscan.schema.json with Python's `jsonschema`
/// (installed by scripts/bootstrap), so every JSON document the test suite sees is checked.
public enum SchemaCheck {
    public static let schema = Paths.repo.appendingPathComponent("schema/symscan.schema.json").path

    static let script = """
        import json, sys
        import jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft7Validator.check_schema(schema)
        doc = json.loads(sys.stdin.read())
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
        if errors:
            best = jsonschema.exceptions.best_match(errors)
            print("%s at /%s" % (best.message[:400], "/".join(map(str, best.absolute_path))))
            sys.exit(1)
        for ref in schema["oneOf"]:
            sub = {"$ref": ref["$ref"], "definitions": schema["definitions"]}
            if jsonschema.Draft7Validator(sub).is_valid(doc):
                print(ref["$ref"].rsplit("/", 1)[-1])
        """

    /// The schema definition the document matched (`symbols`, `diagnose`, `check`, `baseline`,
    /// `sarif`), or a failure naming the first problem.
    @discardableResult
    public static func assertValid(_ json: String, _ context: String = "", file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            let python = which("python3") ?? "/usr/bin/python3"
            let r = try runTool(python, ["-c", script, schema], stdin: Data(json.utf8))
            if r.stderr.contains("No module named 'jsonschema'") {
                XCTFail("python3 has no jsonschema: run scripts/bootstrap", file: file, line: line)
                return nil
            }
            guard r.status == 0 else {
                XCTFail("JSON does not validate against schema/symscan.schema.json\(context.isEmpty ? "" : " (\(context))"): \(r.stdout)\(r.stderr)", file: file, line: line)
                return nil
            }
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            XCTFail("cannot run python3: \(error)", file: file, line: line)
            return nil
        }
    }

    /// When `args` ask symscan for JSON or SARIF on standard output, checks that output.
    public static func checkOutput(of args: [String], stdout: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let i = args.firstIndex(of: "--format"), i + 1 < args.count, ["json", "sarif"].contains(args[i + 1]),
              !args.contains("--output"), !args.contains("--help") else { return }
        assertValid(stdout, args.joined(separator: " "), file: file, line: line)
    }
}

/// Runs the built symscan; JSON and SARIF it prints are validated against the schema.
public func runSymscan(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
    let r = try runTool(Paths.symscan.path, args)
    SchemaCheck.checkOutput(of: args, stdout: r.stdout, file: file, line: line)
    return r
}
