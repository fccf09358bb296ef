package imgsearch.duplicates;

import imgsearch.index.ImageRecord;
import java.time.Instant;

/**
 * One image of a group.
 *
 * @param image what the index knows about it (path, size, resolution)
 * @param modified the file's modification time, or null when the file cannot be read
 * @param keep whether it is the group's suggested keeper
 * @param score its closeness to the keeper in the measure's unit; null for the keeper
 */
public record DuplicateImage(ImageRecord image, Instant modified, boolean keep, Double score) {}
