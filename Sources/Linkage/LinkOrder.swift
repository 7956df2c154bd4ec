import MappedFile
import ObjectModel

/// Findings where the order of the link made the difference: a library that defines what is
/// still unresolved, but stood before the inputs that need it.
extension Resolution {
    /// For each `--as-needed` library dropped and each archive whose members were left out,
    /// the unresolved references it defines: one finding, and the library's arguments again at
    /// the end of the line (after the objects), which is the working order.
    mutating func checkOrder() {
        for (step, defines, dropped) in linkSet.passedOver where !step.item.implicit {
            let keys = openOrder.filter { open[$0].map { !$0.weak } ?? false && defines.contains($0) && !isExpected($0) }
            guard !keys.isEmpty else { continue }
            let names = keys.map { display($0) }
            let referencedBy = linkSet.referencedBy
            let user = keys.lazy.compactMap { referencedBy[$0] }.first ?? "the inputs after it"
            let arguments = step.library.map { $0.linkArguments.filter { !$0.hasPrefix("-L") } } ?? [step.item.argument]
            let written = arguments.joined(separator: " ")
            let message = dropped
                ? "\(written) comes before \(user), which needs it (\(Self.list(names))); with --as-needed the linker drops it: put \(written) after the objects"
                : "\(written) comes before \(user), which needs \(Self.list(names)) from it; the linker takes archive members only for symbols undefined at that point: put \(written) after the objects"
            diagnosis.findings.append(Finding(id: .libraryOrder, severity: .error, message: message, symbols: names))
            step.library?.misplaced = true
            let name = step.library?.displayName ?? FileSystem.baseName(step.item.argument)
            for k in keys { providers[k] = [name] }
            for a in arguments where !extraArguments.contains(a) { extraArguments.append(a) }
        }
    }
}
