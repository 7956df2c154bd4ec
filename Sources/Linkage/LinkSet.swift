import ImageLoader
import MappedFile
import ObjectModel

/// One position of the replayed link with what it holds.
struct LinkStep {
    var item: LinkItem
    /// An input file's images (an object, an archive's members, a shared object), or what a
    /// library holds; empty for group marks and empty archives.
    var images: [ObjectImage] = []
    /// The library behind `-l`, `--lib` or a linker script's operand, for the report; nil for
    /// the files named on the command line.
    var library: Library?
}

/// All inputs of one run as one link unit, replayed the way GNU ld reads them: left to right.
///
/// Objects are always linked. An archive supplies a member only for a reference undefined at
/// that point (repeatedly, since a member can need another), and a group's archives are searched
/// again until nothing changes; `--whole-archive` takes every member. A shared object resolves
/// every reference, earlier or later, unless `--as-needed` was in force and it resolved nothing
/// referenced before it: then the linker drops it (no DT_NEEDED) and its symbols resolve
/// nothing. Given alone (no object, no archive member), shared objects are themselves what is
/// diagnosed.
struct LinkSet {
    /// The images whose references are checked.
    var targets: [ObjectImage] = []
    /// Shared objects and import lists given as inputs that provide symbols to the targets.
    var providers: [ObjectImage] = []
    /// Archive members that the link did not need.
    var unusedMembers: [ObjectImage] = []
    /// Archive members of another width, class or machine than the objects: never linked.
    var otherTargetMembers: [ObjectImage] = []
    /// Steps whose definitions came too early to be used: `--as-needed` libraries that were
    /// dropped, and archives with members left out, with the names those would define.
    private(set) var passedOver: [(step: LinkStep, defines: Set<NameView>, dropped: Bool)] = []
    /// XCOFF functions referenced both as entry point (`.f`) and by address (`f`): the `f` form,
    /// by key, reported beside `.f`.
    private(set) var descriptorForms: [NameView: NameView] = [:]
    /// The first image that referenced each name (for "which needs it").
    private(set) var referencedBy: [NameView: String] = [:]

    /// References of the targets, by key (first display name wins; weak only if every
    /// reference is weak), in first-seen order.
    private(set) var references: [NameView: Reference] = [:]
    private(set) var order: [NameView] = []
    /// Everything the link defines, and which step defined it (-1: an object or the linker).
    private(set) var defined = Set<NameView>()
    private var definer: [NameView: Int] = [:]
    private var positionalAsNeeded = true

    /// `predefined`: what the linker and the start files define before any input.
    /// `linker`: GNU ld decides `--as-needed` at each library's place; gold and lld keep a
    /// library anything references, and lld also takes archive members for later references.
    init(_ steps: [LinkStep], predefined: Set<NameView> = [], linker: LinkerFlavour = .bfd) {
        defined = predefined
        positionalAsNeeded = linker == .bfd
        let images = steps.flatMap(\.images)
        let inputImages = steps.filter { $0.library == nil }.flatMap(\.images)
        if !inputImages.contains(where: { $0.kind == .object }) {
            // Only shared objects (and import lists): each is a module to diagnose.
            targets = inputImages.filter { $0.format != .exp }
            providers = inputImages.filter { $0.format == .exp }
            for t in targets { add(t) }
            for p in providers { define(p.exportedKeys(), by: -1) }
            replayLibraries(steps)
            return
        }
        if images.contains(where: { $0.kind == .object && $0.isELF }) { defined.formUnion(LinkerDefinedSymbols.elf) }
        // A linker takes from an archive only members it can link with the objects: AIX ld in
        // 64-bit mode skips the 32-bit members (libc.a holds both), GNU ld members of another
        // ELF class or machine.
        let objects = images.filter { $0.kind == .object && $0.member == nil }
        let formats = Set((objects.isEmpty ? images.filter { $0.kind == .object } : objects).map(\.format))
        let machines = Set(objects.compactMap(\.machine))
        func usable(_ m: ObjectImage) -> Bool {
            formats.contains(m.format) && (m.machine.map { machines.isEmpty || machines.contains($0) } ?? true)
        }
        var group: [Int]? = nil
        var pending: [Int: [ObjectImage]] = [:]
        for (i, step) in steps.enumerated() {
            switch step.item.what {
            case .groupStart: group = group ?? []; continue
            case .groupEnd:
                // The group's archives are searched again until a pass pulls nothing in.
                var changed = true
                while changed {
                    changed = false
                    for a in group ?? [] where pull(&pending[a, default: []], step: a) { changed = true }
                }
                group = nil
                continue
            default: break
            }
            for o in step.images where o.kind == .object && o.member == nil {
                targets.append(o)
                add(o)
                define(o.linkDefinedKeys(), by: -1)
            }
            let members = step.images.filter { $0.kind == .object && $0.member != nil }
            if !members.isEmpty {
                otherTargetMembers += members.filter { !usable($0) }
                var candidates = members.filter(usable)
                if step.item.wholeArchive {
                    for m in candidates { targets.append(m); add(m); define(m.linkDefinedKeys(), by: i) }
                    candidates = []
                } else {
                    _ = pull(&candidates, step: i)
                }
                pending[i] = candidates
                group?.append(i)
            }
            let shared = step.images.filter { $0.kind != .object }
            if !shared.isEmpty { useShared(shared, step: step, index: i) }
        }
        if linker == .lld {
            // lld remembers every archive's symbols: a later reference still takes a member.
            var changed = true
            while changed {
                changed = false
                for a in pending.keys.sorted() where pull(&pending[a, default: []], step: a) { changed = true }
            }
        }
        for (i, rest) in pending.sorted(by: { $0.key < $1.key }) where !rest.isEmpty {
            unusedMembers += rest
            passedOver.append((steps[i], Set(rest.flatMap { $0.linkDefinedKeys() }), false))
        }
    }

    /// Only shared objects diagnosed: libraries given beside them provide, in order.
    private mutating func replayLibraries(_ steps: [LinkStep]) {
        for (i, step) in steps.enumerated() where step.library != nil {
            let shared = step.images.filter { $0.kind != .object }
            if !shared.isEmpty { useShared(shared, step: step, index: i) }
        }
    }

    /// A shared object (or import list) at its position: kept unless `--as-needed` drops it.
    private mutating func useShared(_ images: [ObjectImage], step: LinkStep, index i: Int) {
        let exports = images.flatMap { $0.exportedKeys() }
        let needed = exports.contains { references[$0] != nil && !defined.contains($0) }
        // gold and lld keep an --as-needed library that anything references: resolving with it
        // is then the same as keeping it when needed.
        if step.item.asNeeded && positionalAsNeeded && !needed && !images.contains(where: { $0.format == .exp }) {
            passedOver.append((step, Set(exports), true))
            return
        }
        if step.library == nil { providers += images }
        define(exports, by: i)
    }

    private mutating func define(_ keys: [NameView], by step: Int) {
        for k in keys where defined.insert(k).inserted { definer[k] = step }
    }

    /// The linker's archive rule: take a member when it defines a symbol undefined so far, and
    /// repeat, since a taken member can need other members. True when something was taken.
    private mutating func pull(_ members: inout [ObjectImage], step: Int) -> Bool {
        var any = false
        var changed = true
        while changed {
            changed = false
            var rest: [ObjectImage] = []
            for m in members {
                let keys = m.linkDefinedKeys()
                if keys.contains(where: { references[$0] != nil && !defined.contains($0) }) {
                    targets.append(m)
                    add(m)
                    define(keys, by: step)
                    changed = true
                    any = true
                } else {
                    rest.append(m)
                }
            }
            members = rest
        }
        return any
    }

    private mutating func add(_ image: ObjectImage) {
        // An XCOFF object's undefined symbols that no relocation uses are no reference.
        let unused = image.isXCOFF && image.kind == .object && image.storage?.path == image.path
            ? RelocationUse.unusedUndefinedNames(path: image.path, member: image.member) : []
        for r in image.references() where unused.isEmpty || !unused.contains(r.display.string) {
            if var existing = references[r.key] {
                existing.weak = existing.weak && r.weak
                if existing.module == nil { existing.module = r.module }
                // A function both called (`.f`) and used by address (`f`): the AIX linker reports
                // each form where it is used, so both are kept (the entry point first).
                let dot = UInt8(ascii: ".")
                if (r.display.first == dot) != (existing.display.first == dot) {
                    descriptorForms[r.key] = r.display.first == dot ? existing.display : r.display
                    if r.display.first == dot { existing.display = r.display }
                }
                references[r.key] = existing
            } else {
                references[r.key] = r
                order.append(r.key)
                referencedBy[r.key] = image.member ?? FileSystem.baseName(image.path)
            }
        }
    }

    /// How many references of the link the step at `index` resolved.
    func resolvedCount(ofStep index: Int) -> Int {
        order.reduce(0) { $0 + (definer[$1] == index ? 1 : 0) }
    }

    /// References in first-seen order that the link set itself does not define.
    var undefinedReferences: [Reference] {
        order.compactMap { defined.contains($0) ? nil : references[$0] }
    }

    var allReferences: [Reference] { order.compactMap { references[$0] } }
}
