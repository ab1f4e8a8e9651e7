export { SecureBucket, type SecureBucketArgs, secureBucketArgsSchema } from "./bucket";
export { fileSystemArgsSchema, SecureFileSystem, type SecureFileSystemArgs } from "./file-system";
