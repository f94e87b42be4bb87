// @tidemark/archive: tar (tar-stream), openGauss gs_tar, compression codecs, backup_manifest.
export {
  ArchiveCorruptError,
  ArchiveTruncatedError,
  CompressionSpecError,
  DecompressError,
  EntrySizeError,
  ExtractConflictError,
  ManifestChecksumError,
  ManifestFormatError,
  UnknownFormatError,
  UnsafeEntryError,
} from './errors.js'
export { crc32c, crc32cUpdate, crc32cFinal, CRC32C_INIT } from './crc32c.js'
export { CHECKSUM_ALGORITHMS, checksumOf, createFileChecksum, parseChecksumAlgorithm } from './checksum.js'
export type { ChecksumAlgorithm, FileChecksum } from './checksum.js'
export { CODECS, CODEC_LEVELS, codecSpec, codecSuffix, parseCodecSpec } from './codec-spec.js'
export type { Codec, CodecSpec } from './codec-spec.js'
export { BlockCompressor, DEFAULT_BLOCK_SIZE, DEFAULT_CONCURRENCY } from './block-compressor.js'
export type { BlockCompressFunction, BlockCompressorOptions } from './block-compressor.js'
export { blockCompressFunction, createCompressor, createDecompressor } from './codecs.js'
export { Lz4Decompressor } from './lz4-decompressor.js'
export { ZstdDecompressor } from './zstd-decompressor.js'
export { TarPacker, createTarPacker } from './tar-pack.js'
export type { AddEntryOptions, AddedEntry, TarEntryBody, TarEntryInput, TarEntryType } from './tar-pack.js'
export { ManifestBuilder, formatLsn } from './manifest-builder.js'
export type { ManifestBuilderOptions } from './manifest-builder.js'
export {
  encodeManifestChecksum,
  encodeManifestFile,
  encodeManifestStart,
  encodeManifestWalRanges,
  escapeJsonString,
  formatManifestTime,
} from './manifest-format.js'
export type { ManifestFileEntry, ManifestVersion, WalRange } from './manifest-format.js'
export { parseManifest, verifyManifestChecksum } from './manifest-parser.js'
export type { ParsedManifest, ParsedManifestFile } from './manifest-parser.js'
export type { TarEntry, TarEntryKind, TarHeader } from './tar-entry.js'
export { readTar } from './tar-reader.js'
export type { ArchiveFormat, ReadTarOptions } from './tar-reader.js'
export {
  TAR_BLOCK,
  TarHeaderError,
  decodeLongName,
  decodeNumber,
  decodePaxRecords,
  decodeTarHeader,
  headerChecksum,
  isTarHeader,
  isZeroBlock,
} from './tar-header.js'
export type { RawTarHeader } from './tar-header.js'
export { GS_TAR_HEADER_SIZE, decodeGsTarHeader, encodeGsTarHeader, looksLikeGsTarHeader } from './gs-tar-header.js'
export type { GsTarHeader, GsTarType } from './gs-tar-header.js'
export { convertedLinkTarget, createGsTarConverter, gsTarToTar } from './gs-tar-convert.js'
export type { GsTarToTarOptions } from './gs-tar-convert.js'
export { detectArchiveFormat, detectCompression, openArchive } from './detect.js'
export type { OpenArchiveOptions, OpenedArchive } from './detect.js'
export { isInside, isInsideAny, safeEntryParts } from './entry-path.js'
export { extractEntries, openExtraction } from './extract.js'
export { TarPushParser } from './tar-push-parser.js'
export type { EntrySink, TarPushParserOptions } from './tar-push-parser.js'
export { writevFully, writevFullySync } from './write-fully.js'
export type { Extraction, ExtractOptions, ExtractResult } from './extract.js'
export {
  MANIFEST_IGNORED_PATHS,
  ManifestVerifier,
  directoryFiles,
  isIgnoredPath,
  tarFiles,
  verifyBackupFiles,
} from './manifest-verify.js'
export type { BackupFile, VerifyOptions, VerifyProblem, VerifyProblemKind, VerifyResult } from './manifest-verify.js'
export type { ConvertedFile } from './gs-tar-convert.js'
export { DOUBLE_WRITE_PAGE_SIZE, prepareOpenGaussDoubleWrite } from './opengauss-double-write.js'
export { XxHash32, xxhash32 } from './xxhash32.js'
export { PullDecoder } from './pull-decoder.js'
