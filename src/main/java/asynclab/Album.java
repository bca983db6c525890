package asynclab;

/**
 * A photo album as the fake data source returns it: {@code Album[id=1, title=Mona Lisa]}.
 *
 * @param id    its number
 * @param title its title
 */
public record Album(int id, String title) {}
