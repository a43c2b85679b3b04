/** Image validation and naming: is an upload really a JPEG, PNG or WebP, and what is it safely stored as. */
package images;
