import FairwayPOSIX
import Glibc
import Testing

/// Descriptors are checked at fixed high numbers (made with `dup2`), which no
/// other test running meanwhile is handed, so "closed" means closed by us.
@Suite struct FileDescriptorTests {
    static func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) != -1 }

    static func openAt(_ number: Int32) throws -> FileDescriptor {
        let fd = try syscall("open /dev/null") { open("/dev/null", O_RDONLY | O_CLOEXEC) }
        try syscall("dup2") { dup2(fd, number) }
        try syscall("close") { close(fd) }
        return FileDescriptor(owning: number)
    }

    @Test func closeClosesOnceAndASecondCloseDoesNothing() throws {
        let fd = try Self.openAt(900)
        #expect(fd.isOpen && fd.rawValue == 900)
        try fd.close()
        #expect(!Self.isOpen(900))
        #expect(!fd.isOpen && fd.rawValue == -1)
        try fd.close()
        #expect(fd.description == "fd closed")
    }

    @Test func anUnclosedDescriptorIsClosedWhenItGoesAway() throws {
        do {
            let fd = try Self.openAt(901)
            #expect(Self.isOpen(fd.rawValue))
        }
        #expect(!Self.isOpen(901))
    }

    @Test func releaseHandsTheNumberBackOpen() throws {
        var number: Int32 = -1
        do {
            let fd = try Self.openAt(902)
            number = fd.release()
            #expect(!fd.isOpen)
        }
        #expect(number == 902 && Self.isOpen(902))
        close(902)
    }
}
