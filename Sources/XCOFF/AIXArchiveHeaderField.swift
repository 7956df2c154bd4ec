/// An offset field of an AIX archive's file header, as AIX `<ar.h>` names it. Errors about an
/// offset that cannot be followed are reported at its field and name it both ways, since the
/// damage is in the field: where it points may not exist.
enum AIXArchiveHeaderField: Sendable {
    case memberTable, symbolTable, symbolTable64, firstMember, lastMember

    /// The fields in file order; the small format has no 64-bit global symbol table.
    static func fields(_ layout: AIXArchiveLayout) -> [AIXArchiveHeaderField] {
        layout.hasSymbolTable64 ? [.memberTable, .symbolTable, .symbolTable64, .firstMember, .lastMember]
                                : [.memberTable, .symbolTable, .firstMember, .lastMember]
    }

    /// Offset of the field in the file, after the 8-byte magic.
    func offset(_ layout: AIXArchiveLayout) -> Int {
        let index = switch self {
        case .memberTable: 0
        case .symbolTable: 1
        case .symbolTable64: 2
        case .firstMember: layout.hasSymbolTable64 ? 3 : 2
        case .lastMember: layout.hasSymbolTable64 ? 4 : 3
        }
        return 8 + index * layout.offsetWidth
    }

    var name: String {
        switch self {
        case .memberTable: "fl_memoff"
        case .symbolTable: "fl_gstoff"
        case .symbolTable64: "fl_gst64off"
        case .firstMember: "fl_fstmoff"
        case .lastMember: "fl_lstmoff"
        }
    }

    /// The structure the field locates, for messages and for the table's own errors.
    func target(_ layout: AIXArchiveLayout) -> String {
        switch self {
        case .memberTable: "member table"
        case .symbolTable: layout.hasSymbolTable64 ? "32-bit global symbol table" : "global symbol table"
        case .symbolTable64: "64-bit global symbol table"
        case .firstMember: "first member"
        case .lastMember: "last member"
        }
    }

    /// "member table offset (fl_memoff)"
    func describe(_ layout: AIXArchiveLayout) -> String {
        "\(target(layout)) offset (\(name))"
    }
}
