/**
 * Byte- and file-level helpers every module shares: SHA-256 digests, replacing a file atomically, reading
 * JSON-lines files that may end in a half-written line, sizes in words, deleting a folder tree.
 */
package imgsearch.file;
