/// Byte order of the integers in a file. XCOFF is big-endian; ELF says which in its header.
public enum Endian: Sendable {
    case big
    case little
}
