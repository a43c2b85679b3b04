package emulator;

/** One object ACL grant, as the JSON API names them: an entity such as {@code allUsers} and a role such as {@code READER}. */
record AclEntry(String entity, String role) {

  static final String ALL_USERS = "allUsers";
  static final String READER = "READER";
  static final String OWNER = "OWNER";

  boolean grantsPublicRead() {
    return ALL_USERS.equals(entity) && (READER.equals(role) || OWNER.equals(role));
  }
}
