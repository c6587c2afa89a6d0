package dev.redirectguard.classfile;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A class file read just far enough to edit a few methods: the constant pool (which can grow),
 * the field names, and the Code attributes of the methods. Everything else is copied as bytes.
 * This exists instead of a general bytecode library because it runs while the JVM starts: it
 * loads three small classes and makes one pass over the bytes.
 */
public final class ClassFile {
    static final int UTF8 = 1;
    static final int INTEGER = 3;
    static final int FLOAT = 4;
    static final int LONG = 5;
    static final int DOUBLE = 6;
    static final int CLASS = 7;
    static final int STRING = 8;
    static final int FIELDREF = 9;
    static final int METHODREF = 10;
    static final int INTERFACE_METHODREF = 11;
    static final int NAME_AND_TYPE = 12;

    /** A method and where its Code attribute sits in the original bytes. */
    public final class Method {
        public final int access;
        private final int nameIndex;
        private final int descriptorIndex;
        final int codeStart; // offset of the Code attribute's name index
        final int codeEnd;   // offset just past it
        byte[] newCode;      // the whole replacement attribute, set by CodeEditor

        Method(int access, int nameIndex, int descriptorIndex, int codeStart, int codeEnd) {
            this.access = access;
            this.nameIndex = nameIndex;
            this.descriptorIndex = descriptorIndex;
            this.codeStart = codeStart;
            this.codeEnd = codeEnd;
        }

        public String name() {
            return utf8(nameIndex);
        }

        public String descriptor() {
            return utf8(descriptorIndex);
        }

        /** Compares without decoding: most methods of a class are only ever compared. */
        public boolean is(String name, String descriptor) {
            return utf8Equals(nameIndex, name, false) && utf8Equals(descriptorIndex, descriptor, false);
        }

        public boolean isLike(String name, String descriptorPrefix) {
            return utf8Equals(nameIndex, name, false) && utf8Equals(descriptorIndex, descriptorPrefix, true);
        }

        public boolean hasCode() {
            return codeStart >= 0;
        }
    }

    final byte[] bytes;
    private final int[] offsets; // constant pool entry offsets, by index
    private final int poolEnd;
    private final List<Method> methods = new ArrayList<Method>();
    private final List<int[]> fields = new ArrayList<int[]>(); // name and descriptor indexes
    private final ByteArrayOutputStream added = new ByteArrayOutputStream();
    private int poolCount;
    private final Map<String, Integer> addedEntries = new HashMap<String, Integer>();

    public ClassFile(byte[] bytes) throws ClassFileException {
        this.bytes = bytes;
        try {
            if (u4(0) != 0xCAFEBABEL) {
                throw new ClassFileException("not a class file");
            }
            poolCount = u2(8);
            offsets = new int[poolCount];
            int p = 10;
            for (int i = 1; i < poolCount; i++) {
                offsets[i] = p;
                int tag = bytes[p] & 0xFF;
                switch (tag) {
                    case UTF8: p += 3 + u2(p + 1); break;
                    case INTEGER: case FLOAT: case FIELDREF: case METHODREF: case INTERFACE_METHODREF:
                    case NAME_AND_TYPE: case 17: case 18: p += 5; break;
                    case LONG: case DOUBLE: p += 9; i++; break;
                    case CLASS: case STRING: case 16: case 19: case 20: p += 3; break;
                    case 15: p += 4; break;
                    default: throw new ClassFileException("unknown constant pool tag " + tag + " at " + i);
                }
            }
            poolEnd = p;
            p += 6; // access, this, super
            p += 2 + 2 * u2(p); // interfaces
            int fieldCount = u2(p);
            p += 2;
            for (int i = 0; i < fieldCount; i++) {
                fields.add(new int[] {u2(p + 2), u2(p + 4)});
                p = skipAttributes(p + 6);
            }
            int methodCount = u2(p);
            p += 2;
            for (int i = 0; i < methodCount; i++) {
                int access = u2(p);
                int name = u2(p + 2);
                int descriptor = u2(p + 4);
                int count = u2(p + 6);
                int a = p + 8;
                int codeStart = -1;
                int codeEnd = -1;
                for (int j = 0; j < count; j++) {
                    int end = a + 6 + (int) u4(a + 2);
                    if (utf8Equals(u2(a), "Code", false)) {
                        codeStart = a;
                        codeEnd = end;
                    }
                    a = end;
                }
                methods.add(new Method(access, name, descriptor, codeStart, codeEnd));
                p = a;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new ClassFileException("truncated class file");
        }
    }

    private int skipAttributes(int p) {
        int count = u2(p);
        p += 2;
        for (int j = 0; j < count; j++) {
            p += 6 + (int) u4(p + 2);
        }
        return p;
    }

    public List<Method> methods() {
        return Collections.unmodifiableList(methods);
    }

    public boolean hasField(String name, String descriptor) {
        for (int[] f : fields) {
            if (utf8Equals(f[0], name, false) && utf8Equals(f[1], descriptor, false)) {
                return true;
            }
        }
        return false;
    }

    // ---- reading ----

    int u1(int p) {
        return bytes[p] & 0xFF;
    }

    int u2(int p) {
        return ((bytes[p] & 0xFF) << 8) | (bytes[p + 1] & 0xFF);
    }

    long u4(int p) {
        return ((long) u2(p) << 16) | u2(p + 2);
    }

    int tag(int index) {
        return index > 0 && index < offsets.length && offsets[index] != 0 ? u1(offsets[index]) : -1;
    }

    String utf8(int index) {
        int p = offsets[index];
        if (u1(p) != UTF8) {
            throw new IllegalStateException("constant " + index + " is not Utf8");
        }
        int length = u2(p + 1);
        // Modified UTF-8; the names a rewrite compares are ASCII, so a plain decode is enough.
        char[] chars = new char[length];
        int n = 0;
        for (int i = p + 3; i < p + 3 + length; ) {
            int c = bytes[i] & 0xFF;
            if (c < 0x80) {
                chars[n++] = (char) c;
                i++;
            } else if ((c & 0xE0) == 0xC0) {
                chars[n++] = (char) (((c & 0x1F) << 6) | (bytes[i + 1] & 0x3F));
                i += 2;
            } else {
                chars[n++] = (char) (((c & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F));
                i += 3;
            }
        }
        return new String(chars, 0, n);
    }

    /** Whether a Utf8 constant is this ASCII text (or starts with it). */
    boolean utf8Equals(int index, String text, boolean prefix) {
        int p = offsets[index];
        int length = u2(p + 1);
        if (length < text.length() || (!prefix && length != text.length())) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (bytes[p + 3 + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The string value of a CONSTANT_String, or null for any other constant. */
    String stringConstant(int index) {
        return tag(index) == STRING ? utf8(u2(offsets[index] + 1)) : null;
    }

    /** owner, name, descriptor of a Fieldref/Methodref/InterfaceMethodref. */
    String[] memberRef(int index) {
        int p = offsets[index];
        String owner = utf8(u2(offsets[u2(p + 1)] + 1));
        int nat = offsets[u2(p + 3)];
        return new String[] {owner, utf8(u2(nat + 1)), utf8(u2(nat + 3))};
    }

    // ---- adding constants (appended; existing indexes never move) ----

    int addUtf8(String value) {
        Integer known = addedEntries.get("U" + value);
        if (known != null) {
            return known;
        }
        byte[] b;
        try {
            b = value.getBytes("UTF-8"); // the names added here are ASCII: modified UTF-8 is the same
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        added.write(UTF8);
        writeU2(b.length);
        added.write(b, 0, b.length);
        return remember("U" + value);
    }

    int addClass(String internalName) {
        Integer known = addedEntries.get("C" + internalName);
        if (known != null) {
            return known;
        }
        int name = addUtf8(internalName);
        added.write(CLASS);
        writeU2(name);
        return remember("C" + internalName);
    }

    int addMemberRef(int tag, String owner, String name, String descriptor) {
        String key = "M" + tag + owner + "." + name + descriptor;
        Integer known = addedEntries.get(key);
        if (known != null) {
            return known;
        }
        int ownerIndex = addClass(owner);
        int nameIndex = addUtf8(name);
        int descriptorIndex = addUtf8(descriptor);
        added.write(NAME_AND_TYPE);
        writeU2(nameIndex);
        writeU2(descriptorIndex);
        int nat = remember("N" + name + descriptor);
        added.write(tag);
        writeU2(ownerIndex);
        writeU2(nat);
        return remember(key);
    }

    private int remember(String key) {
        int index = poolCount++;
        addedEntries.put(key, index);
        return index;
    }

    private void writeU2(int v) {
        added.write(v >>> 8);
        added.write(v);
    }

    // ---- writing ----

    /** The class with every edited method's new Code attribute and the grown constant pool. */
    public byte[] toBytes() throws ClassFileException {
        if (poolCount > 0xFFFF) {
            throw new ClassFileException("constant pool too large");
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + added.size() + 1024);
            DataOutputStream data = new DataOutputStream(out);
            out.write(bytes, 0, 8);
            data.writeShort(poolCount);
            out.write(bytes, 10, poolEnd - 10);
            added.writeTo(out);
            int p = poolEnd;
            for (Method m : methods) {
                if (m.newCode != null) {
                    out.write(bytes, p, m.codeStart - p);
                    out.write(m.newCode);
                    p = m.codeEnd;
                }
            }
            out.write(bytes, p, bytes.length - p);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
