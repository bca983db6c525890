package asynclab;

/**
 * A blog post as the fake data source returns it: {@code Post[id=1, title=Lorem Ipsum]}.
 *
 * @param id    its number
 * @param title its title
 */
public record Post(int id, String title) {}
