package dev.countersign.documents;

import java.util.List;
import java.util.Optional;

/** For admins (the console, the API): an admin document's versions, checking a draft, and putting one in force. */
public interface DocumentAdministration {

    /** Which document: {@code policy} or {@code catalog}, its name in the API's paths and in {@code document_version}. */
    String kind();

    /** False when the file is the only source ({@code countersign.<kind>.source=file}). */
    boolean editable();

    /** The stored version in force; empty when the file is the source. */
    Optional<DocumentVersions.Active> active();

    /** The text in force (the file's, when the file is the source). */
    String source();

    List<DocumentVersions.Version> history(int limit);

    Optional<DocumentVersions.Version> version(int number);

    /** Every problem with a draft; empty: it may be activated. */
    List<String> check(String draft);

    /** Saves the draft as the next version and puts it in force ({@code 422 document_invalid} if {@link #check} finds anything). */
    DocumentVersions.Active activate(String draft, String author, String comment);
}
