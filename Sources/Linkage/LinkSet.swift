import ImageLoader
import MappedFile
import ObjectModel

/// All inputs of one run as one link unit, the way a linker sees them.
///
/// Objects are always part of the link. Archive members are pulled in only when they define
/// something still undefined, repeatedly until nothing changes (a linker's archive rule).
/// Shared objects and import lists given next to objects provide symbols; given alone, shared
/// objects are themselves what is diagnosed.
struct LinkSet {
    /// The images whose references are checked.
    var targets: [ObjectImage] = []
    /// Shared objects and import lists given as inputs that provide symbols to the targets.
    var providers: [ObjectImage] = []
    /// Archive members that the link did not need.
    var unusedMembers: [ObjectImage] = []
    /// Archive members of another width, class or machine than the objects: never linked.
    var otherTargetMembers: [ObjectImage] = []

    /// References of the targets, by key (first display name wins; weak only if every
    /// reference is weak), in first-seen order.
    private(set) var references: [NameView: Reference] = [:]
    private(set) var order: [NameView] = []
    /// Everything the targets and provider inputs define.
    private(set) var defined = Set<NameView>()

    init(_ loaded: [LoadResult], wholeArchive: Bool = false) {
        var objects: [ObjectImage] = []
        var archiveMembers: [ObjectImage] = []
        var linked: [ObjectImage] = []
        for r in loaded {
            for image in r.images {
                switch (image.kind, image.member) {
                case (.object, nil): objects.append(image)
                case (.object, _): archiveMembers.append(image)
                default: linked.append(image)
                }
            }
        }
        if objects.isEmpty && archiveMembers.isEmpty {
            targets = linked.filter { $0.format != .exp }
            providers = linked.filter { $0.format == .exp }
        } else {
            targets = objects
            providers = linked
        }
        for t in targets { add(t) }
        for p in providers { defined.formUnion(p.exportedKeys()) }
        if targets.contains(where: { $0.kind == .object && $0.isELF }) {
            defined.formUnion(LinkerDefinedSymbols.elf)
        }
        // A linker takes from an archive only members it can link with the objects: AIX ld in
        // 64-bit mode skips the 32-bit members (libc.a holds both), GNU ld members of another
        // ELF class or machine.
        if !objects.isEmpty {
            let formats = Set(objects.map(\.format))
            let machines = Set(objects.compactMap(\.machine))
            let (usable, other) = archiveMembers.partitioned {
                formats.contains($0.format) && ($0.machine.map { machines.isEmpty || machines.contains($0) } ?? true)
            }
            archiveMembers = usable
            otherTargetMembers = other
        }
        if wholeArchive {
            for m in archiveMembers { targets.append(m); add(m) }
        } else {
            pullArchiveMembers(archiveMembers)
        }
    }

    private mutating func add(_ image: ObjectImage) {
        defined.formUnion(image.exportedKeys())
        for r in image.references() {
            if var existing = references[r.key] {
                existing.weak = existing.weak && r.weak
                if existing.module == nil { existing.module = r.module }
                // A function both called (`.f`) and used by address (`f`): report the entry
                // point, the name the AIX linker's 0711-317 error shows.
                if r.display.first == UInt8(ascii: "."), existing.display.first != UInt8(ascii: ".") {
                    existing.display = r.display
                }
                references[r.key] = existing
            } else {
                references[r.key] = r
                order.append(r.key)
            }
        }
    }

    /// The linker's archive rule: pull a member in when it defines a symbol that is undefined
    /// so far, and repeat, since a pulled member can need other members.
    private mutating func pullArchiveMembers(_ members: [ObjectImage]) {
        var pending = members.map { ($0, Set($0.exportedKeys())) }
        var changed = true
        while changed {
            changed = false
            var rest: [(ObjectImage, Set<NameView>)] = []
            for (member, exports) in pending {
                let needed = exports.contains { references[$0] != nil && !defined.contains($0) }
                if needed {
                    targets.append(member)
                    add(member)
                    changed = true
                } else {
                    rest.append((member, exports))
                }
            }
            pending = rest
        }
        unusedMembers = pending.map(\.0)
    }

    /// References in first-seen order that the link set itself does not define.
    var undefinedReferences: [Reference] {
        order.compactMap { defined.contains($0) ? nil : references[$0] }
    }

    var allReferences: [Reference] { order.compactMap { references[$0] } }
}

extension Array {
    /// The elements that satisfy `belongs`, and the others, each in their order.
    fileprivate func partitioned(_ belongs: (Element) -> Bool) -> ([Element], [Element]) {
        var yes: [Element] = [], no: [Element] = []
        for e in self { if belongs(e) { yes.append(e) } else { no.append(e) } }
        return (yes, no)
    }
}
