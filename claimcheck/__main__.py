from claimcheck.cli import app

if __name__ == "__main__":  # a spawned process (a Dask worker, a parse worker) imports this module too
    app(prog_name="claimcheck")
