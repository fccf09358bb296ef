/**
 * Near-duplicate groups of an indexed collection ({@code imgsearch duplicates} and the web app's Duplicates
 * page): {@link imgsearch.duplicates.DuplicateMeasure} says how closeness is judged on which descriptor,
 * {@link imgsearch.duplicates.NeighbourGraph} finds each image's near neighbours by kNN through the
 * {@link imgsearch.index.ImageIndex}, {@link imgsearch.duplicates.DuplicateFinder} groups them and
 * {@link imgsearch.duplicates.KeeperRule} suggests which image of each group to keep. Nothing here deletes or
 * moves files.
 */
package imgsearch.duplicates;
