package org.coea.model.train;

/**
 * One supervised example (Eq. 8): prompt tokens and the target tokens the model must produce (a
 * category name and eos); only the target carries loss (Eq. 9).
 */
public record SftExample(int[] prompt, int[] target) {}
