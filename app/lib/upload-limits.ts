/**
 * The largest file a person uploads (a BgMax file, an SCB population file): the same as the server's `upload` and
 * `multipart` body limits in server-body.js, which refuse a larger body with 413 before the app sees it.
 */
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
