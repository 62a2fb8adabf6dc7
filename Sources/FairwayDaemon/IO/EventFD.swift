import CFairwayShim
import Glibc

/// Writes an eventfd counter increment (8 bytes).
func eventfdWrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    write(fd, bytes.baseAddress, 8)
}

/// Drains an eventfd counter.
func eventfdDrain(_ fd: Int32) {
    var value: UInt64 = 0
    _ = read(fd, &value, 8)
}
