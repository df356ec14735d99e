/** Origin of changes the server makes itself (title, imported content, restores by the
 * server): they are stored and broadcast like any edit, but belong to no connection. */
export const SERVER_ORIGIN = "quire-server";
