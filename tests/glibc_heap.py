"""The head of a test script run in a fresh process that reads glibc's heap: ``libc`` with
``mallinfo2()`` (``hblkhd``: bytes in blocks mapped on their own; ``fordblks``: free in the heap)."""

MALLINFO2 = '''
import ctypes

class Info(ctypes.Structure):  # glibc's struct mallinfo2
    _fields_ = [(f, ctypes.c_size_t) for f in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                 "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
'''
