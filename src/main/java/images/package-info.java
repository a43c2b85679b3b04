/** Image validation and naming: is an upload really a JPEG, PNG, WebP, HEIC or HEIF, and what is it safely stored as. */
package images;
